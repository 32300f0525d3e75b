"""Image preprocessing and augmentation layers (resizing, cropping, random transformations)."""
