import Foundation

extension SageMakerService {
    /// Removes a variant's scalable target and its policy, as AWS does; the variant keeps the
    /// instances it has and scales no more.
    public func deregisterScalableTarget(resourceId: String, namespace: String, dimension: String) throws {
        guard let target = try catalog.scalableTarget(resourceId: resourceId), target.serviceNamespace == namespace,
              target.scalableDimension == dimension, try catalog.deleteScalableTarget(resourceId: resourceId) else {
            throw AWSError(code: "ObjectNotFoundException",
                           message: "No scalable target registered for service namespace: \(namespace), resource ID: \(resourceId), scalable dimension: \(dimension)",
                           operation: "DeregisterScalableTarget", hint: "`aws application-autoscaling describe-scalable-targets --service-namespace sagemaker` lists them")
        }
        if let (name, _) = target.endpointAndVariant, (try? catalog.endpoint(named: name)) != nil {
            endpoints.restartPool(name)
        }
    }

    public func deleteScalingPolicy(named policyName: String, resourceId: String, namespace: String, dimension: String) throws {
        guard var target = try catalog.scalableTarget(resourceId: resourceId), target.serviceNamespace == namespace,
              target.scalableDimension == dimension, target.policy?.policyName == policyName else {
            throw AWSError(code: "ObjectNotFoundException",
                           message: "No scaling policy found for service namespace: \(namespace), resource ID: \(resourceId), scalable dimension: \(dimension), policy name: \(policyName)",
                           operation: "DeleteScalingPolicy", hint: "`aws application-autoscaling describe-scaling-policies --service-namespace sagemaker` lists them")
        }
        target.policy = nil
        try catalog.putScalableTarget(target)
    }
}
