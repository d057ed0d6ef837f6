// What the notebooks import from the course: figures, the public-test `check`, and shared helpers. Shipped to students.
export { plot, type Chart, type Axis, type Row, type Rule } from './charts';
export { check } from './check';
export { showSvg } from './display';
