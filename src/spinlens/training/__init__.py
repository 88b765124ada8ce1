"""Training the models (the `train` extra): the technique model, its tuning, the attribution tagger."""
