enum ConfigNamespace {}
