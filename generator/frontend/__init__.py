"""Front end: a design file's bytes to a validated Design and its source map (no disk, no click)."""
