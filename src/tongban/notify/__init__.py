"""L1 notify: templates, the in-app inbox, delivery channels."""
