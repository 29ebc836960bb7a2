// Django and DRF class-based views: which HTTP methods and router actions each base class answers (read by the
// Django route reader; moved out of guards.ts, which holds the guard tables, to keep both under 500 lines).

/** Django/DRF base classes and the HTTP methods their views answer. */
export const VIEW_BASE_METHODS: Record<string, string[]> = {
  View: [],
  APIView: [],
  GenericAPIView: [],
  TemplateView: ['GET'],
  RedirectView: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  ListView: ['GET'],
  DetailView: ['GET'],
  ArchiveIndexView: ['GET'],
  FormView: ['GET', 'POST'],
  CreateView: ['GET', 'POST'],
  UpdateView: ['GET', 'POST'],
  DeleteView: ['GET', 'POST'],
  LoginView: ['GET', 'POST'],
  LogoutView: ['POST'],
  PasswordChangeView: ['GET', 'POST'],
  PasswordResetView: ['GET', 'POST'],
  PasswordResetConfirmView: ['GET', 'POST'],
  CreateAPIView: ['POST'],
  ListAPIView: ['GET'],
  RetrieveAPIView: ['GET'],
  DestroyAPIView: ['DELETE'],
  UpdateAPIView: ['PUT', 'PATCH'],
  ListCreateAPIView: ['GET', 'POST'],
  RetrieveUpdateAPIView: ['GET', 'PUT', 'PATCH'],
  RetrieveDestroyAPIView: ['GET', 'DELETE'],
  RetrieveUpdateDestroyAPIView: ['GET', 'PUT', 'PATCH', 'DELETE'],
  ObtainAuthToken: ['POST'],
  TokenObtainPairView: ['POST'],
  TokenRefreshView: ['POST'],
  TokenVerifyView: ['POST'],
};

/** DRF ViewSet bases and the router actions they provide. */
export const VIEWSET_BASE_ACTIONS: Record<string, string[]> = {
  ViewSet: [],
  GenericViewSet: [],
  ViewSetMixin: [],
  ModelViewSet: ['list', 'create', 'retrieve', 'update', 'partial_update', 'destroy'],
  ReadOnlyModelViewSet: ['list', 'retrieve'],
  ListModelMixin: ['list'],
  CreateModelMixin: ['create'],
  RetrieveModelMixin: ['retrieve'],
  UpdateModelMixin: ['update', 'partial_update'],
  DestroyModelMixin: ['destroy'],
};

/** DRF router action → (detail route?, HTTP method). */
export const VIEWSET_ACTIONS: Record<string, { detail: boolean; method: string }> = {
  list: { detail: false, method: 'GET' },
  create: { detail: false, method: 'POST' },
  retrieve: { detail: true, method: 'GET' },
  update: { detail: true, method: 'PUT' },
  partial_update: { detail: true, method: 'PATCH' },
  destroy: { detail: true, method: 'DELETE' },
};

/** Bases that make a class a DRF view (settings defaults apply to these only). */
export const DRF_VIEW_BASES = new Set([
  ...Object.keys(VIEWSET_BASE_ACTIONS),
  'APIView',
  'GenericAPIView',
  ...Object.keys(VIEW_BASE_METHODS).filter((n) => n.endsWith('APIView')),
  'ObtainAuthToken',
  'TokenObtainPairView',
  'TokenRefreshView',
  'TokenVerifyView',
]);

/** Django view-method decorators that restrict the HTTP methods of a function view. */
export const METHOD_DECORATORS: Record<string, string[]> = {
  require_GET: ['GET'],
  require_POST: ['POST'],
  require_safe: ['GET', 'HEAD'],
};
