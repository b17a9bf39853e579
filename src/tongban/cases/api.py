from ninja import Router

applications_router = Router(tags=["applications"])
me_router = Router(tags=["me"])
workbench_router = Router(tags=["workbench"])
