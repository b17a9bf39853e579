"""L4 api: the NinjaAPI that mounts each domain's router."""
