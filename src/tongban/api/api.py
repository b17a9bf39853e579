"""The one NinjaAPI: mounts each domain's router under /api/v1, with session auth and problem+json errors."""

from __future__ import annotations

from ninja import NinjaAPI

from tongban.accounts.api import router as auth_router
from tongban.api import problems
from tongban.cases.api import applications_router, me_router, workbench_router
from tongban.catalog.api import bundles_router, services_router
from tongban.notify.api import messages_router

api = NinjaAPI(
    title="Tongban 通办 API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "一网通办 platform API. Session auth: `POST /auth/login`, then send the `csrftoken` cookie value as "
        "`X-CSRFToken` on unsafe requests. Errors are RFC 9457 `application/problem+json` with a stable `code`."
    ),
)
problems.install(api)
api.add_router("/auth", auth_router)
api.add_router("/services", services_router)
api.add_router("/bundles", bundles_router)
api.add_router("/applications", applications_router)
api.add_router("/me/messages", messages_router)
api.add_router("/me", me_router)
api.add_router("/workbench", workbench_router)
