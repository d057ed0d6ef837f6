// Stands in, inside the sandbox only, for the tfjs packages load-tfjs.ts leaves out of the union bundle.
export {};
