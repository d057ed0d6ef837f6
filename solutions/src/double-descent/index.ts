// Reference functions for chapter 3 (double descent). Owned by the chapters work; see solutions/README.md.
export {};
