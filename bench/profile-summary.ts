/**
 * Where a process's CPU went, from a V8 CPU profile (`node --cpu-prof`, or
 * `HEARTH_BENCH_PROFILE=dir npm run bench:throughput -- --only drain ...`):
 * `npm run bench:profile -- <file.cpuprofile> [--skip-seconds 8] [--last-seconds 15] [--top 40]`.
 *
 * Prints self time by package (a file under node_modules/<package>, Hearth's own directories,
 * Node's internals, GC, idle) and the costliest functions, plus the inclusive time of the
 * frames that name a stage of the worker (anything under a function whose name matches
 * `--stages`). Only samples in the chosen window count, so start-up (compiling the policy set)
 * and shutdown can be left out of a drain's profile.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'skip-seconds': { type: 'string', default: '0' },
    'last-seconds': { type: 'string' },
    top: { type: 'string', default: '40' },
    stages: {
      type: 'string',
      default:
        'moderate,deliver,storeDecision,recordDecision,writeDecision,scorePost,withMemberRemedies,attemptDelivery,postJson,signedHeaders,sealPass,seal,safeParse,write,moveToFinished,moveToActive',
    },
  },
});
const file = positionals[0];
if (!file) throw new Error('usage: bench/profile-summary.ts <file.cpuprofile> [--skip-seconds n] [--last-seconds n]');

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Sample times, then the window.
const times: number[] = [];
let clock = profile.startTime;
for (const delta of profile.timeDeltas) {
  clock += delta;
  times.push(clock);
}
const skip = Number(args['skip-seconds']) * 1e6;
const last = args['last-seconds'] ? Number(args['last-seconds']) * 1e6 : Number.POSITIVE_INFINITY;
const from = Math.max(profile.startTime + skip, profile.endTime - last);

function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return '(gc)';
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(program)') return '(program)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? '?');
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const own = /\/(src|workers|bench)\/([^/]+)/.exec(url);
  if (own) return `hearth ${own[1]}/${own[2]?.replace(/\.ts$/, '')}`;
  return url ? '(other)' : '(native)';
}

const selfByPackage = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const inclusiveByStage = new Map<string, number>();
const stageNames = new Set(String(args.stages).split(','));
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const at = times[i] ?? 0;
  if (at < from) continue;
  const dt = profile.timeDeltas[i + 1] ?? 0;
  total += dt;
  const node = byId.get(profile.samples[i] ?? -1);
  if (!node) continue;
  const pkg = packageOf(node.callFrame);
  selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + dt);
  const fn = `${node.callFrame.functionName || '(anonymous)'} ${pkg}:${node.callFrame.lineNumber + 1}`;
  selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + dt);
  // Each stage counts once per sample, however deeply it recurses.
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const name = byId.get(id)?.callFrame.functionName ?? '';
    if (stageNames.has(name) && !seen.has(name)) {
      seen.add(name);
      inclusiveByStage.set(name, (inclusiveByStage.get(name) ?? 0) + dt);
    }
  }
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const share = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms`;
const top = Number(args.top);
out(`${file}: ${(total / 1e6).toFixed(1)} s of samples in the window`);
out();
out('self time by package');
for (const [k, v] of [...selfByPackage].sort((a, b) => b[1] - a[1]).slice(0, top)) out(`  ${share(v)}  ${k}`);
out();
out('self time by function');
for (const [k, v] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) out(`  ${share(v)}  ${k}`);
out();
out('inclusive time of named stages (a sample counts for every stage on its stack)');
for (const [k, v] of [...inclusiveByStage].sort((a, b) => b[1] - a[1])) out(`  ${share(v)}  ${k}`);
