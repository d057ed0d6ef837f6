// Reference functions for chapter 1 (norms). Owned by the chapters work; see solutions/README.md.
export {};
