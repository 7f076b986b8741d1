/// AWS's region names, for `--region`: the kit is one region (us-east-1), so another real region
/// is refused with what it would mean on AWS, and a name AWS does not have is refused as the
/// CLI refuses it.
enum Regions {
    /// The commercial, China and GovCloud regions of botocore's endpoints.json.
    static let known: Set<String> = [
        "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
        "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1",
        "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1",
        "us-east-2", "us-west-1", "us-west-2", "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1",
    ]

    /// - Throws: for any region but the kit's, saying what it would reach.
    static func check(_ region: String, service: String) throws {
        if region == CLIConfig.kitRegion { return }
        let valid = !region.isEmpty && region.count <= 63 && region.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            && region.first != "-" && region.last != "-"
        guard valid else {
            throw ShellError("Provided region_name '\(region)' doesn't match a supported format.", exitCode: ExitCode.generalError)
        }
        guard known.contains(region) else {
            throw ShellError("Could not connect to the endpoint URL: \"https://\(service).\(region).amazonaws.com/\"",
                             hint: "'\(region)' is not an AWS region; the kit's region is \(CLIConfig.kitRegion)", exitCode: ExitCode.generalError)
        }
        throw ShellError("--region \(region): the kit is one region, \(CLIConfig.kitRegion), and has no \(region). On AWS the resources made "
                         + "in \(CLIConfig.kitRegion) are not seen from \(region) either.",
                         hint: "drop --region, or pass --region \(CLIConfig.kitRegion)", exitCode: ExitCode.generalError)
    }
}
