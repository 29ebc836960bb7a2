from fastapi import Depends, FastAPI
from slowapi import Limiter
from slowapi.middleware import SlowAPIMiddleware
from slowapi.util import get_remote_address

from .config import settings
from .deps import require_admin
from .routers import items, users

limiter = Limiter(key_func=get_remote_address, default_limits=["100/minute"])
app = FastAPI(title="shop")
app.state.limiter = limiter
app.add_middleware(SlowAPIMiddleware)

app.include_router(users.router, prefix=settings.API_PREFIX)
app.include_router(items.router, prefix=f"{settings.API_PREFIX}/items", dependencies=[Depends(require_admin)])


@app.get("/health")
def health():
    return {"ok": True}
