// The nbformat model is part of the shipped course (`npm run check` reads the student's notebooks); the tools here
// use the same one.
export * from '../course/notebook-file';
