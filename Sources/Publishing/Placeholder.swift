enum PublishingNamespace {}
