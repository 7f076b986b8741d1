import Foundation
import InferLabEngine

/// `aws s3api` multipart upload commands: create, upload parts (from a file or a copy), list,
/// complete or abort. Each a front end of one S3 entry of the operation table.
enum S3APIMultipartCommands {
    static var all: [CommandSpec] {
        [createMultipartUpload, uploadPart, uploadPartCopy, completeMultipartUpload, abortMultipartUpload, listParts, listMultipartUploads]
    }

    private static let command = S3APIBucketCommands.command
    private static let printed = S3APIBucketCommands.printed

    static let createMultipartUpload = command("create-multipart-upload", "CreateMultipartUpload",
                                               "Start a multipart upload (CreateMultipartUpload)", "",
                                               ["aws s3api create-multipart-upload --bucket loan-lab --key big-input/loans.csv"]) { request, engine in
        printed(try S3Operations.CreateMultipartUpload.run(CreateMultipartUploadInput(
            bucket: request.required("Bucket"), key: request.required("Key"), contentType: request.string("ContentType"),
            metadata: request.map("Metadata")), on: engine))
    }

    static let uploadPart = command("upload-part", "UploadPart", "Upload one part of a multipart upload from a file (UploadPart)",
                                    "Parts but the last must be at least 5 MiB, as on S3.", []) { request, engine in
        let body: ObjectPayload = request.string("Body").map { .file(URL(fileURLWithPath: $0)) } ?? .data(Data())
        return printed(try await engine.call(S3Operations.UploadPart.self, UploadPartInput(
            bucket: request.required("Bucket"), key: request.required("Key"), partNumber: request.int("PartNumber") ?? 0,
            uploadId: request.required("UploadId"), body: body)))
    }

    static let uploadPartCopy = command("upload-part-copy", "UploadPartCopy", "Copy an object, or a byte range of it, as one part (UploadPartCopy)",
                                        "", []) { request, engine in
        printed(try S3Operations.UploadPartCopy.run(UploadPartCopyInput(
            bucket: request.required("Bucket"), key: request.required("Key"), partNumber: request.int("PartNumber") ?? 0,
            uploadId: request.required("UploadId"), copySource: request.required("CopySource"),
            copySourceRange: request.string("CopySourceRange")), on: engine))
    }

    static let completeMultipartUpload = command("complete-multipart-upload", "CompleteMultipartUpload",
                                                 "Join the uploaded parts into the object (CompleteMultipartUpload)", "",
                                                 [#"aws s3api complete-multipart-upload --bucket loan-lab --key big-input/loans.csv --upload-id ID --multipart-upload 'Parts=[{ETag="…",PartNumber=1}]'"#]) { request, engine in
        let parts = request.objects("MultipartUpload", "Parts").map { part -> CompletedPart in
            var eTag = "", number = 0
            if case .string(let text)? = part["ETag"] { eTag = text }
            if case .int(let value)? = part["PartNumber"] { number = Int(value) }
            return CompletedPart(eTag: eTag, partNumber: number)
        }
        return printed(try S3Operations.CompleteMultipartUpload.run(CompleteMultipartUploadInput(
            bucket: request.required("Bucket"), key: request.required("Key"), uploadId: request.required("UploadId"), parts: parts), on: engine))
    }

    static let abortMultipartUpload = command("abort-multipart-upload", "AbortMultipartUpload",
                                              "Drop a multipart upload and its parts (AbortMultipartUpload)", "", []) { request, engine in
        _ = try S3Operations.AbortMultipartUpload.run(UploadInput(
            bucket: request.required("Bucket"), key: request.required("Key"), uploadId: request.required("UploadId")), on: engine)
        return nil
    }

    static let listParts = command("list-parts", "ListParts", "List the parts uploaded so far (ListParts)", "", []) { request, engine in
        printed(try S3Operations.ListParts.run(ListPartsInput(
            bucket: request.required("Bucket"), key: request.required("Key"), uploadId: request.required("UploadId"),
            maxParts: request.int("MaxParts"), partNumberMarker: request.int("PartNumberMarker")), on: engine))
    }

    static let listMultipartUploads = command("list-multipart-uploads", "ListMultipartUploads",
                                              "List the multipart uploads in progress (ListMultipartUploads)", "", []) { request, engine in
        printed(try S3Operations.ListMultipartUploads.run(BucketInput(bucket: request.required("Bucket")), on: engine))
    }
}
