from ninja import Router

services_router = Router(tags=["services"])
bundles_router = Router(tags=["bundles"])
