import Foundation

/// What a framework image's Python carries for AWS's toolkits, given to a script-mode training
/// job: a `sitecustomize.py` on its PYTHONPATH, so a script that imports `sagemaker_containers`
/// at the top (as the workshop's featurizer does, for its encoders) runs on the course
/// interpreter. The toolkit was written for Python before 3.10 (`collections.Mapping`) and its
/// protos were generated for protobuf 3 (the pure-Python runtime reads them); the serving side
/// (`framework_serving.py`) patches the same two things in its own process.
enum ImageShims {
    static let sitecustomize = """
        # Written by InferLab for a training job: what the framework images' Python carries for
        # the sagemaker_containers toolkit (Python < 3.10, protobuf 3).
        import collections
        import collections.abc
        import os

        if not hasattr(collections, "Mapping"):
            collections.Mapping = collections.abc.Mapping
        os.environ.setdefault("PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION", "python")

        """

    /// Writes the shims into `folder` (the instance's, outside `/opt/ml`) and returns the
    /// variables that put them in effect.
    static func install(in folder: URL) throws -> [String: String] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(sitecustomize.utf8).write(to: folder.appendingPathComponent("sitecustomize.py"))
        return ["PYTHONPATH": folder.path, "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION": "python"]
    }
}
