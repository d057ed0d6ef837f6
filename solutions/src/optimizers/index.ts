// tfjs Optimizer subclasses with decoupled weight decay (AdamW, SGDW). See solutions/README.md.
export {};
