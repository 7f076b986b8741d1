/// Lab format, checkpoints and grading (see labs/README.md).
public enum InferLabLabs {}
