"""L2 workflow: the SpiffWorkflow BPMN/DMN adapter."""
