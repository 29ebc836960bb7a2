import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelOf, summary } from './project.js';

/**
 * The Python endpoint model, per framework, on small multi-file apps under ./apps: every endpoint with its
 * full path, declaration, handler and guards (kind, scope, name, where), so a failure names the extractor's
 * mistake before any rule sees it.
 */
const APPS = join(import.meta.dirname, 'apps');

function appGuards(model: Awaited<ReturnType<typeof modelOf>>) {
  return model.apps.map((a) => ({
    framework: a.framework,
    at: `${a.file}:${a.range.start.line}`,
    guards: a.guards.map((g) => `${g.kind} ${g.scope} ${g.name} @${g.path}:${g.line}`),
  }));
}

describe('FastAPI: routers across files, include_router prefix and dependencies, Depends/Security/Annotated aliases, slowapi', () => {
  it('yields every endpoint with its path and guards', async () => {
    const model = await modelOf(join(APPS, 'fastapi-shop'));
    expect(model.endpoints.map(summary)).toEqual([
      {
        methods: 'GET',
        path: '/health',
        at: 'app/main.py:19',
        guards: ['rate-limit app SlowAPIMiddleware @app/main.py:13'],
        handler: 'app/main.py:20 health',
      },
      {
        methods: 'GET',
        path: '/api/v1/items/',
        at: 'app/routers/items.py:8',
        guards: [
          'rate-limit app SlowAPIMiddleware @app/main.py:13',
          'authentication router Depends(require_admin) @app/main.py:16',
          'authorization router Depends(require_admin) @app/main.py:16',
          'authentication router Security(load_user, scopes=["items"]) @app/routers/items.py:5',
          'authorization router Security(load_user, scopes=["items"]) @app/routers/items.py:5',
        ],
        handler: 'app/routers/items.py:9 list_items',
      },
      {
        methods: 'PUT,PATCH',
        path: '/api/v1/items/{item_id}',
        at: 'app/routers/items.py:13',
        guards: [
          'rate-limit app SlowAPIMiddleware @app/main.py:13',
          'authentication router Depends(require_admin) @app/main.py:16',
          'authorization router Depends(require_admin) @app/main.py:16',
          'authentication router Security(load_user, scopes=["items"]) @app/routers/items.py:5',
          'authorization router Security(load_user, scopes=["items"]) @app/routers/items.py:5',
        ],
        handler: 'app/routers/items.py:14 update_item',
      },
      {
        methods: 'POST',
        path: '/api/v1/users/login',
        at: 'app/routers/users.py:9',
        guards: ['rate-limit app SlowAPIMiddleware @app/main.py:13', 'rate-limit route @limiter.limit("5/minute") @app/routers/users.py:11'],
        handler: 'app/routers/users.py:11 login',
      },
      {
        methods: 'GET',
        path: '/api/v1/users/me',
        at: 'app/routers/users.py:15',
        guards: ['rate-limit app SlowAPIMiddleware @app/main.py:13', 'authentication route CurrentUser (Depends(load_user)) @app/routers/users.py:16'],
        handler: 'app/routers/users.py:16 read_me',
      },
      {
        methods: 'GET',
        path: '/api/v1/users/{user_id}',
        at: 'app/routers/users.py:20',
        guards: ['rate-limit app SlowAPIMiddleware @app/main.py:13'],
        handler: 'app/routers/users.py:21 read_user',
        handlerFacts: 'read db.get by user_id from params @22',
      },
      {
        methods: 'DELETE',
        path: '/api/v1/users/{user_id}',
        at: 'app/routers/users.py:25',
        guards: ['rate-limit app SlowAPIMiddleware @app/main.py:13', 'authentication route CurrentUser (Depends(load_user)) @app/routers/users.py:26'],
        handler: 'app/routers/users.py:26 delete_user',
      },
    ]);
  });

  it('yields the app with its app-scope guards', async () => {
    const model = await modelOf(join(APPS, 'fastapi-shop'));
    expect(appGuards(model)).toEqual([
      {
        framework: 'fastapi',
        at: 'app/main.py:11',
        guards: ['rate-limit app SlowAPIMiddleware @app/main.py:13'],
      },
    ]);
  });
});

describe('Flask: app factory, blueprints registered with prefixes, before_request hooks, decorators, MethodView, handler checks', () => {
  it('yields every endpoint with its path and guards', async () => {
    const model = await modelOf(join(APPS, 'flask-notes'));
    expect(model.endpoints.map(summary)).toEqual([
      {
        methods: 'GET',
        path: '/admin/users',
        at: 'notes/admin.py:14',
        guards: ['authentication router admin_bp.before_request require_login @notes/admin.py:9'],
        handler: 'notes/admin.py:15 list_users',
        handlerFacts: 'no record access, constant',
      },
      {
        methods: 'DELETE',
        path: '/admin/users/<int:user_id>',
        at: 'notes/admin.py:19',
        guards: [
          'authentication router admin_bp.before_request require_login @notes/admin.py:9',
          'authentication route @roles_required("admin") @notes/admin.py:21',
          'authorization route @roles_required("admin") @notes/admin.py:21',
        ],
        handler: 'notes/admin.py:21 delete_user',
        handlerFacts: 'no record access, constant',
      },
      {
        methods: 'GET,POST',
        path: '/auth/login',
        at: 'notes/auth.py:9',
        guards: ['rate-limit route @limiter.limit("5 per minute") @notes/auth.py:11'],
        handler: 'notes/auth.py:11 login',
        handlerFacts: 'no record access, constant',
      },
      {
        methods: 'POST',
        path: '/auth/register',
        at: 'notes/auth.py:15',
        guards: [],
        handler: 'notes/auth.py:16 register',
        handlerFacts: 'no record access, constant',
      },
      {
        methods: 'GET',
        path: '/auth/logout',
        at: 'notes/auth.py:20',
        guards: ['authentication route @login_required @notes/auth.py:22'],
        handler: 'notes/auth.py:22 logout',
      },
      {
        methods: 'GET',
        path: '/',
        at: 'notes/main.py:11',
        guards: [],
        handler: 'notes/main.py:12 index',
        handlerFacts: 'no record access, constant',
      },
      {
        methods: 'GET',
        path: '/notes/<int:note_id>',
        at: 'notes/main.py:16',
        guards: ['authentication route @login_required @notes/main.py:18'],
        handler: 'notes/main.py:18 show_note',
        handlerFacts: 'read Note.query.get_or_404 by note_id from params @19',
      },
      {
        methods: 'DELETE',
        path: '/notes/<int:note_id>',
        at: 'notes/main.py:22',
        guards: [
          'authentication handler not current_user.is_authenticated @notes/main.py:24',
          'authentication handler abort(401) @notes/main.py:25',
          'authorization handler abort(403) @notes/main.py:28',
          'authentication handler note.owner_id != current_user.id @notes/main.py:27',
          'authorization handler note.owner_id != current_user.id @notes/main.py:27',
        ],
        handler: 'notes/main.py:23 delete_note',
        handlerFacts: 'delete Note.query.get_or_404 by note_id from params @29, ownership',
      },
      {
        methods: 'GET,PUT',
        path: '/profile',
        at: 'notes/main.py:43',
        guards: ['authentication controller jwt_required() @notes/main.py:33'],
        handler: 'notes/main.py:33 ProfileAPI',
        handlerFacts: 'no record access, constant',
      },
    ]);
  });

  it('yields the app with its app-scope guards', async () => {
    const model = await modelOf(join(APPS, 'flask-notes'));
    expect(appGuards(model)).toEqual([
      {
        framework: 'flask',
        at: 'notes/__init__.py:9',
        guards: [],
      },
    ]);
  });
});

describe('Django + DRF: ROOT_URLCONF down through include(), function and class views, mixins, routers and ViewSets, settings defaults', () => {
  it('yields every endpoint with its path and guards', async () => {
    const model = await modelOf(join(APPS, 'django-blog'));
    expect(model.endpoints.map(summary)).toEqual([
      {
        methods: 'GET,POST',
        path: '/api/posts/',
        at: 'api/urls.py:7',
        guards: [
          'authentication app DEFAULT_PERMISSION_CLASSES: IsAuthenticated @proj/settings.py:17',
          'rate-limit app DEFAULT_THROTTLE_CLASSES: UserRateThrottle @proj/settings.py:17',
        ],
        handler: 'api/views.py:9 PostViewSet',
      },
      {
        methods: 'GET,PUT,PATCH,DELETE',
        path: '/api/posts/<pk>/',
        at: 'api/urls.py:7',
        guards: [
          'authentication app DEFAULT_PERMISSION_CLASSES: IsAuthenticated @proj/settings.py:17',
          'rate-limit app DEFAULT_THROTTLE_CLASSES: UserRateThrottle @proj/settings.py:17',
        ],
        handler: 'api/views.py:9 PostViewSet',
      },
      {
        methods: 'POST',
        path: '/api/posts/<pk>/publish/',
        at: 'api/urls.py:7',
        guards: [
          'rate-limit app DEFAULT_THROTTLE_CLASSES: UserRateThrottle @proj/settings.py:17',
          'authentication route IsAdminUser @api/views.py:13',
          'authorization route IsAdminUser @api/views.py:13',
        ],
        handler: 'api/views.py:13 PostViewSet.publish',
      },
      {
        methods: 'POST',
        path: '/api/login/',
        at: 'api/urls.py:11',
        guards: ['rate-limit app DEFAULT_THROTTLE_CLASSES: UserRateThrottle @proj/settings.py:17'],
        handler: 'api/views.py:19 login_view',
        optOuts: ['AllowAny'],
      },
      {
        methods: 'GET',
        path: '/api/public/',
        at: 'api/urls.py:12',
        guards: ['rate-limit app DEFAULT_THROTTLE_CLASSES: UserRateThrottle @proj/settings.py:17'],
        handler: 'api/views.py:23 PublicPosts',
        optOuts: ['AllowAny'],
      },
      {
        methods: '*',
        path: '/',
        at: 'blog/urls.py:7',
        guards: [],
        handler: 'blog/views.py:11 index',
        handlerFacts: 'no record access, static-page',
      },
      {
        methods: 'GET',
        path: '/posts/<int:pk>/',
        at: 'blog/urls.py:8',
        guards: ['authentication controller LoginRequiredMixin @blog/views.py:15'],
        handler: 'blog/views.py:15 PostDetail',
      },
      {
        methods: 'POST',
        path: '/posts/<int:pk>/delete/',
        at: 'blog/urls.py:9',
        guards: ['authentication route @login_required @blog/views.py:21'],
        handler: 'blog/views.py:21 delete_post',
        handlerFacts: 'delete get_object_or_404 by pk from params @22',
      },
      {
        methods: '*',
        path: '/dashboard/',
        at: 'blog/urls.py:10',
        guards: ['authentication route login_required(…) @blog/urls.py:10'],
        handler: 'blog/views.py:25 dashboard',
        handlerFacts: 'no record access, static-page',
      },
      {
        methods: 'GET',
        path: '/stats/',
        at: 'blog/urls.py:11',
        guards: [
          'authentication controller PermissionRequiredMixin @blog/views.py:29',
          'authorization controller PermissionRequiredMixin @blog/views.py:29',
          'authorization controller permission_required = "blog.view_stats" @blog/views.py:29',
        ],
        handler: 'blog/views.py:29 StatsView',
      },
      {
        methods: '*',
        path: '/users/(?P<pk>\\d+)/ban/',
        at: 'blog/urls.py:12',
        guards: [
          'authentication handler not request.user.is_staff @blog/views.py:34',
          'authorization handler not request.user.is_staff @blog/views.py:34',
          'authorization handler raise PermissionDenied @blog/views.py:35',
        ],
        handler: 'blog/views.py:33 ban_user',
        handlerFacts: 'update User.objects.filter by pk from params @36',
      },
      {
        methods: '*',
        path: '/admin/',
        at: 'proj/urls.py:5',
        guards: ['authentication route Django admin (staff login) @proj/urls.py:5', 'authorization route Django admin (staff login) @proj/urls.py:5'],
      },
    ]);
  });

  it('yields the app with its app-scope guards', async () => {
    const model = await modelOf(join(APPS, 'django-blog'));
    expect(appGuards(model)).toEqual([
      {
        framework: 'django',
        at: 'proj/settings.py:15',
        guards: [
          'authentication app DEFAULT_PERMISSION_CLASSES: IsAuthenticated @proj/settings.py:17',
          'rate-limit app DEFAULT_THROTTLE_CLASSES: UserRateThrottle @proj/settings.py:17',
        ],
      },
    ]);
  });
});
