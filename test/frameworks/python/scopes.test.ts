import { describe, expect, it } from 'vitest';
import { modelOfSources } from './project.js';

/** Focused cases: one scope or resolution path each, checked as `METHODS path [kind scope name]` lines. */
async function inventory(sources: Record<string, string>): Promise<string[]> {
  const model = await modelOfSources(sources);
  return model.endpoints.map(
    (e) =>
      `${e.methods.join(',')} ${e.path} [${e.guards.map((g) => `${g.kind} ${g.scope} ${g.name}`).join('; ')}]${e.optOuts.length ? ` optOut ${e.optOuts.join(',')}` : ''}`,
  );
}

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('FastAPI', () => {
  it('applies app dependencies and an HTTP middleware that rejects with 401 to every route', async () => {
    expect(
      await inventory({
        'main.py': lines(
          'from fastapi import FastAPI, Depends, Request',
          'from fastapi.responses import JSONResponse',
          'app = FastAPI(dependencies=[Depends(verify_api_key)])',
          '@app.middleware("http")',
          'async def check_session(request: Request, call_next):',
          '    if not request.session.get("uid"):',
          '        return JSONResponse({}, status_code=401)',
          '    return await call_next(request)',
          '@app.post("/orders")',
          'def create_order():',
          '    pass',
        ),
      }),
    ).toEqual(['POST /orders [authentication app Depends(verify_api_key); authentication app @app.middleware check_session]']);
  });

  it('yields a router included twice under both prefixes, and an unmounted router under its own prefix', async () => {
    expect(
      await inventory({
        'app/main.py': lines(
          'from fastapi import FastAPI',
          'from app.api import v1',
          'app = FastAPI()',
          'app.include_router(v1.router, prefix="/v1")',
          'app.include_router(v1.router, prefix="/latest")',
        ),
        'app/api/v1.py': lines(
          'from fastapi import APIRouter',
          'router = APIRouter(prefix="/things")',
          '@router.get("/{thing_id}")',
          'def get_thing(thing_id: int): ...',
        ),
        'app/api/spare.py': lines('from fastapi import APIRouter', 'spare = APIRouter(prefix="/spare")', '@spare.get("")', 'def get_spare(): ...'),
      }),
    ).toEqual(['GET /spare []', 'GET /latest/things/{thing_id} []', 'GET /v1/things/{thing_id} []']);
  });

  it('marks the routes of a router never included as unmounted', async () => {
    const model = await modelOfSources({
      'main.py': lines('from fastapi import FastAPI', 'from extra import spare', 'app = FastAPI()', '@app.get("/a")', 'def a(): ...'),
      'extra.py': lines('from fastapi import APIRouter', 'spare = APIRouter(prefix="/spare")', '@spare.get("/b")', 'def b(): ...'),
    });
    expect(model.endpoints.map((e) => `${e.path} ${e.unmounted ? 'unmounted' : 'mounted'}`)).toEqual(['/spare/b unmounted', '/a mounted']);
  });

  it('classifies a dependency by what it does when its name says nothing', async () => {
    expect(
      await inventory({
        'deps.py': lines(
          'from fastapi import Header, HTTPException',
          'def session_of(x_token: str = Header()):',
          '    if x_token != "expected":',
          '        raise HTTPException(status_code=401)',
        ),
        'main.py': lines(
          'from fastapi import FastAPI, Depends',
          'from deps import session_of',
          'app = FastAPI()',
          '@app.get("/data")',
          'def data(s=Depends(session_of)): ...',
          '@app.get("/open")',
          'def open_data(db=Depends(get_db)): ...',
        ),
      }),
    ).toEqual(['GET /data [authentication route Depends(session_of)]', 'GET /open []']);
  });
});

describe('Flask', () => {
  it('applies Limiter default_limits and an app before_request hook registered by call', async () => {
    expect(
      await inventory({
        'app.py': lines(
          'from flask import Flask, abort, session',
          'from flask_limiter import Limiter',
          'app = Flask(__name__)',
          'limiter = Limiter(key_func=lambda: "k", app=app, default_limits=["200 per day"])',
          'def require_session():',
          '    if "uid" not in session:',
          '        abort(401)',
          'app.before_request(require_session)',
          '@app.route("/items", methods=["POST"])',
          '@limiter.exempt',
          'def add_item(): ...',
        ),
      }),
    ).toEqual(['POST /items [authentication app app.before_request require_session; rate-limit app Limiter(default_limits)] optOut @limiter.exempt']);
  });

  it('nests blueprints and lets register_blueprint override url_prefix', async () => {
    expect(
      await inventory({
        'app.py': lines('from flask import Flask', 'from api import api', 'app = Flask(__name__)', 'app.register_blueprint(api, url_prefix="/api/v2")'),
        'api.py': lines(
          'from flask import Blueprint',
          'from users import users',
          'api = Blueprint("api", __name__, url_prefix="/api")',
          'api.register_blueprint(users, url_prefix="/users")',
        ),
        'users.py': lines('from flask import Blueprint', 'users = Blueprint("users", __name__)', '@users.get("/<int:id>")', 'def show(id): ...'),
      }),
    ).toEqual(['GET /api/v2/users/<int:id> []']);
  });
});

describe('Django', () => {
  const settings = (middleware: string) =>
    lines('INSTALLED_APPS = ["shop"]', 'ROOT_URLCONF = "site_urls"', `MIDDLEWARE = ["django.contrib.auth.middleware.AuthenticationMiddleware", ${middleware}]`);

  it('applies LoginRequiredMiddleware to every view except @login_not_required ones', async () => {
    expect(
      await inventory({
        'settings.py': settings('"django.contrib.auth.middleware.LoginRequiredMiddleware"'),
        'site_urls.py': lines(
          'from django.urls import path',
          'from shop import views',
          'urlpatterns = [path("cart/", views.cart), path("about/", views.about)]',
        ),
        'shop/views.py': lines(
          'from django.contrib.auth.decorators import login_not_required',
          'def cart(request): ...',
          '@login_not_required',
          'def about(request): ...',
        ),
      }),
    ).toEqual(['* /about/ [] optOut @login_not_required', '* /cart/ [authentication app LoginRequiredMiddleware]']);
  });

  it('follows include() of an imported module, a pattern list variable, and urlpatterns += router.urls', async () => {
    expect(
      await inventory({
        'settings.py': settings('"x.Y"'),
        'site_urls.py': lines(
          'from django.urls import include, path',
          'from shop import urls as shop_urls',
          'from shop.views import extra',
          'urlpatterns = [path("shop/", include(shop_urls)), path("x/", include(extra))]',
        ),
        'shop/urls.py': lines(
          'from django.urls import path',
          'from rest_framework.routers import SimpleRouter',
          'from .views import Orders, OrderViewSet',
          'router = SimpleRouter()',
          'router.register("orders", OrderViewSet, basename="order")',
          'urlpatterns = [path("list/", Orders.as_view())]',
          'urlpatterns += router.urls',
        ),
        'shop/views.py': lines(
          'from django.urls import path',
          'from django.views import View',
          'from rest_framework import mixins, viewsets',
          'from rest_framework.permissions import IsAuthenticated',
          'class Orders(View):',
          '    def get(self, request): ...',
          'class OrderViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):',
          '    permission_classes = [IsAuthenticated]',
          'def ping(request): ...',
          'extra = [path("ping/", ping)]',
        ),
      }),
    ).toEqual([
      'DELETE /shop/orders/<pk>/ [authentication controller IsAuthenticated]',
      'GET /shop/orders/ [authentication controller IsAuthenticated]',
      'GET /shop/list/ []',
      '* /x/ping/ []',
    ]);
  });
});
