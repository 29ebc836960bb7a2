import { describe, expect, it } from 'vitest';
import { CONSTANT_HANDLER, CONSTANT_HANDLER_SAMPLES, STATIC_PAGE_HANDLER } from '../../src/languages/javascript/frameworks/summary.js';
import { CONSTANT_RETURN, CONSTANT_RETURN_SAMPLES, STATIC_PAGE } from '../../src/languages/python/frameworks/handler-facts.js';

describe('constant-answer handlers (public by design: a keep-alive page)', () => {
  it('JavaScript: a handler whose only statement sends a constant text', () => {
    for (const s of CONSTANT_HANDLER_SAMPLES.must) expect(CONSTANT_HANDLER.test(s), s).toBe(true);
    for (const s of CONSTANT_HANDLER_SAMPLES.mustNot) expect(CONSTANT_HANDLER.test(s), s).toBe(false);
  });
  it('Python: a view whose only statement returns a constant text', () => {
    for (const s of CONSTANT_RETURN_SAMPLES.must) expect(CONSTANT_RETURN.test(s), s).toBe(true);
    for (const s of CONSTANT_RETURN_SAMPLES.mustNot) expect(CONSTANT_RETURN.test(s), s).toBe(false);
  });

  it('a template rendered with no data from the handler', () => {
    expect(STATIC_PAGE_HANDLER.test("(req, res) => {\n  res.render('dashboard');\n}")).toBe(true);
    expect(STATIC_PAGE_HANDLER.test("(req, res) => res.render('profile', { user: req.user })")).toBe(false);
    expect(STATIC_PAGE.test('return render_template("about.html")')).toBe(true);
    expect(STATIC_PAGE.test("return render(request, 'lab/index.html')")).toBe(true);
    expect(STATIC_PAGE.test('return render_template("orders.html", orders=orders)')).toBe(false);
    expect(STATIC_PAGE.test('return render_template("paste.html", page="create_paste")')).toBe(true);
    expect(STATIC_PAGE.test('return render_template("audit.html", audit=Audit.query.all())')).toBe(false);
  });
});
