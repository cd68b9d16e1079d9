module kubectl-yaml

// The versions Kubernetes v1.37 (kubectl) builds with.

go 1.22

require sigs.k8s.io/yaml v1.6.0

require go.yaml.in/yaml/v2 v2.4.4 // indirect
