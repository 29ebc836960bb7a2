import { parse } from '@babel/parser';
import type { Node } from '@babel/types';
import { describe, expect, it } from 'vitest';
import { classifyGuardClass } from '../../../src/languages/javascript/frameworks/nest-guards.js';

function classify(code: string) {
  const ast = parse(code, { sourceType: 'module', plugins: ['typescript', 'decorators-legacy'] });
  const cls = ast.program.body.find((n) => n.type === 'ClassDeclaration') as Node;
  return classifyGuardClass(cls, code);
}

describe('NestJS guard classes by what canActivate does', () => {
  it('a Passport AuthGuard subclass authenticates, also when it skips public routes', () => {
    expect(classify(`class JwtGuard extends AuthGuard('jwt') {}`)?.kinds).toEqual(['authentication']);
    expect(
      classify(
        `class JwtGuard extends AuthGuard('jwt') { canActivate(ctx) { if (this.reflector.get('isPublic', ctx.getHandler())) return true; return super.canActivate(ctx); } }`,
      )?.kinds,
    ).toEqual(['authentication']);
  });
  it('a roles guard authorises, even when it lets routes without roles through', () => {
    const g = classify(
      `class RolesGuard { canActivate(ctx) { const requiredRoles = this.reflector.get('roles', ctx.getHandler()); if (!requiredRoles) return true; const { user } = ctx.switchToHttp().getRequest(); return requiredRoles.some((r) => user.roles?.includes(r)); } }`,
    );
    expect(g?.kinds).toEqual(['authorization']);
  });
  it('a guard that returns true when its header is absent is neither, with the reason', () => {
    const g = classify(
      `class ImpersonationWriteGuard { canActivate(ctx) { const req = ctx.switchToHttp().getRequest(); const id = req.headers['impersonation-id']; if (!id) return true; if (!hasPermission(req.user.permissions, 'write')) throw new ForbiddenException(); return true; } }`,
    );
    expect(g).toEqual({ kinds: [], reason: 'returns true when `id` is absent' });
  });
  it('a token check authenticates; a class without canActivate is no guard', () => {
    expect(classify(`class KeyGuard { canActivate(ctx) { const t = getToken(ctx); if (!t) throw new UnauthorizedException(); return true; } }`)?.kinds).toEqual(
      ['authentication'],
    );
    expect(classify(`class Service { find() { return 1; } }`)).toBeNull();
  });
});
