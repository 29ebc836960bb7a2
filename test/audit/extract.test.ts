import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/engine/extract.js';
import type { AuditFunction } from '../../src/model/audit-facts.js';
import type { FileFacts, Language } from '../../src/model/facts.js';
import { buildAuditGraph, chainLog, describeChain } from '../../src/flow/audit-graph.js';

async function facts(path: string, language: Language, text: string): Promise<FileFacts> {
  const { facts: f, errors } = await extractFacts({ path, language, text });
  expect(errors).toEqual([]);
  return f!;
}

/** One line per fact, so a failure shows exactly which fact differs. */
function summary(fn: AuditFunction): string[] {
  return [
    `fn ${fn.qualifiedName}${fn.handlerHint ? ` [${fn.handlerHint}]` : ''}`,
    ...fn.events.map((e) => `  event ${e.kind} ${e.api} (${e.via}) @${e.range.start.line}`),
    ...fn.writes.map((w) => `  write ${w.orm} ${w.op} ${w.model ?? '?'} ${w.api} @${w.range.start.line}`),
    ...fn.logs.map((l) => `  log ${l.strength} ${l.api} @${l.line}`),
    ...fn.calls.map((c) => `  call ${c.receiver ? `${c.receiver}.` : c.self ? 'this.' : ''}${c.name}${c.module ? ` from ${c.module}` : ''} @${c.line}`),
  ];
}

describe('JavaScript audit facts', () => {
  it('records events, writes, logs and calls per function; inline callbacks belong to their function', async () => {
    const f = await facts(
      'src/users.ts',
      'typescript',
      `import bcrypt from 'bcrypt';
import { audit } from './audit';
import { prisma } from './db';
export async function login(req, res) {
  const user = await prisma.user.findUnique({ where: { email: req.body.email } });
  const ok = await bcrypt.compare(req.body.password, user.hash);
  res.json({ ok });
}
export async function removeUser(id: string) {
  await prisma.user.delete({ where: { id } });
  await [1].forEach(async () => prisma.session.deleteMany({}));
  audit('user.delete', id);
  console.log('done');
}
router.post('/orders', async (req, res) => {
  await Order.create(req.body);
  await removeUser(req.params.id);
});
`,
    );
    expect(f.auditFacts!.functions.flatMap(summary)).toEqual([
      'fn login [req-res]',
      '  event login bcrypt.compare (call) @6',
      '  call user.findUnique from ./db @5',
      'fn removeUser',
      '  event user-delete prisma.user.delete (write) @10',
      '  write prisma delete user prisma.user.delete @10',
      '  write prisma delete session prisma.session.deleteMany @11',
      '  log audit audit @12',
      '  log console console.log @13',
      'fn <anonymous>@15 [req-res]',
      '  write orm create Order Order.create @16',
      '  call removeUser @17',
    ]);
  });

  it('reads TypeORM repositories injected with @InjectRepository and EventSubscriber mechanisms', async () => {
    const f = await facts(
      'src/a.service.ts',
      'typescript',
      `@Injectable()
export class ArticlesService {
  constructor(@InjectRepository(Article) private readonly repo: Repository<Article>) {}
  create(dto) { return this.repo.save(this.repo.create(dto)); }
}
@EventSubscriber()
export class Sub { listenTo() { return Comment; } afterInsert(e) { this.logger.log(e); } }
`,
    );
    expect(f.auditFacts!.functions.flatMap(summary).filter((l) => l.includes('write'))).toEqual(['  write typeorm save Article this.repo.save @4']);
    expect(f.auditFacts!.mechanisms.map((m) => `${m.kind} ${m.api} ${m.models.join(',')}`)).toEqual(['orm-listener @EventSubscriber Comment']);
  });
});

describe('Python audit facts', () => {
  it('records Django and SQLAlchemy writes with their models, and model-level mechanisms', async () => {
    const f = await facts(
      'shop/views.py',
      'python',
      `import logging
from auditlog.registry import auditlog
from .models import Order
from .services import archive

auditlog.register(Order)
logger = logging.getLogger(__name__)

def update_order(request, pk):
    order = get_object_or_404(Order, pk=pk)
    order.save()
    db.session.add(Invoice(total=1))
    db.query(Item).filter(Item.id == pk).delete()
    logger.debug("saved")
    archive(pk)
`,
    );
    expect(f.auditFacts!.functions.flatMap(summary)).toEqual([
      'fn update_order [django-view]',
      '  write django save Order order.save @11',
      '  write sqlalchemy create Invoice db.session.add @12',
      '  write sqlalchemy delete Item db.query().filter().delete @13',
      '  log console logger.debug @14',
      '  call get_object_or_404 @10',
      '  call Invoice @12',
      '  call query().filter @13',
      '  call db.query @13',
      '  call archive from .services @15',
    ]);
    expect(f.auditFacts!.mechanisms.map((m) => `${m.kind} ${m.api} ${m.models.join(',')}`)).toEqual(['model-history auditlog.register Order']);
  });
});

describe('audit call graph', () => {
  it('follows a handler through a service in another file, and leaves a generic name without receiver unresolved', async () => {
    const controller = await facts(
      'src/users/users.controller.ts',
      'typescript',
      `import { Controller, Delete } from '@nestjs/common';
@Controller('users')
export class UsersController {
  constructor(private readonly usersService: UsersService) {}
  @Delete(':id')
  remove(id: string) {
    this.logger.log('removing');
    return this.usersService.remove(id);
  }
  @Delete('all')
  purge() { return create(); }
}
`,
    );
    const service = await facts(
      'src/users/users.service.ts',
      'typescript',
      `export class UsersService {
  async remove(id: string) { await prisma.user.delete({ where: { id } }); }
}
export class OtherService {
  async create() { await prisma.order.create({ data: {} }); }
}
`,
    );
    const graph = buildAuditGraph([controller, service], []);
    const byName = (q: string) => graph.nodes.find((n) => n.fn.qualifiedName === q)!;
    const chains = graph.chainsTo(byName('UsersService.remove').id);
    expect(chains.map(describeChain)).toEqual(['UsersController.remove [controller-method] → UsersService.remove']);
    expect(chainLog(graph, chains[0]!)).toBe(2);
    expect(graph.chainsTo(byName('OtherService.create').id)).toEqual([]);
  });
});
