import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { parseDocument } from 'yaml';
import { AppError } from '../errors.ts';
import { createLocalScorer } from '../moderation/local-scorer.ts';
import { scorePost } from '../moderation/score-post.ts';
import { defaultPoliciesDir, parseClaims } from '../policies/loader.ts';
import type { Cli } from './cli-io.ts';
import { printTable } from './output.ts';
import { loadPolicies } from './scoring-input.ts';

const ID = /^[a-z0-9-]+$/;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `hearth claims list|test|add`: the base of false health claims the misinformation policy matches. */
export function claimsCommand(cli: Cli): Command {
  const claims = new Command('claims').description(
    'the base of known false health claims (policies/claims/): each with the fact, a public source and paraphrases',
  );

  claims
    .command('list')
    .description('list the claims, or one topic’s')
    .option('--topic <topic>', 'only this topic (a file name in policies/claims/, without .yaml)')
    .option('--policies <dir>', "policy directory (default: the repository's policies/)")
    .option('--json', 'print one JSON object a line')
    .addHelpText('after', '\nExamples:\n  npx hearth claims list\n  npx hearth claims list --topic vaccines --json')
    .action(async (opts: { topic?: string; policies?: string; json?: boolean }) => {
      const set = await loadPolicies(opts.policies);
      const shown = set.knowledge.claims.filter((c) => !opts.topic || c.topic === opts.topic);
      if (opts.topic && shown.length === 0)
        throw new AppError('bad_request', `--topic ${opts.topic}: no such topic (see npx hearth claims list)`);
      if (opts.json) {
        for (const c of shown) cli.stdout.write(`${JSON.stringify(c)}\n`);
        return;
      }
      printTable(
        cli.stdout,
        ['topic', 'id', 'claim'],
        shown.map((c) => [c.topic, c.id, c.claim.length > 70 ? `${c.claim.slice(0, 69)}…` : c.claim]),
      );
      const topics = new Set(shown.map((c) => c.topic));
      cli.stdout.write(`\n${shown.length} claims in ${topics.size} topic${topics.size === 1 ? '' : 's'}\n`);
    });

  claims
    .command('test')
    .description('score a sentence as a post and show the false claim it matches, if any, with the fact and source')
    .argument('<text>', 'what a member might write')
    .option('--policies <dir>', "policy directory (default: the repository's policies/)")
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      [
        '',
        'A sentence matches only when it states the claim as fact: questions, debunks, reports of',
        "someone else's words and a member's own experience do not.",
        '',
        'Examples:',
        '  npx hearth claims test "The MMR jab is what gives kids autism."',
        '  npx hearth claims test "Is it true that vaccines cause autism?" --json',
      ].join('\n'),
    )
    .action(async (text: string, opts: { policies?: string; json?: boolean }) => {
      const set = await loadPolicies(opts.policies);
      const scorer = createLocalScorer(set.policies, set.model, set.knowledge);
      const result = scorePost(set, scorer, { body: text }).verdict.policies.find((p) => p.policy === 'misinformation');
      const matched = result?.strength === 'strong' && result.claim ? result.claim : undefined;
      const closest = !matched && result?.claim ? result.claim : undefined;
      if (opts.json) {
        cli.stdout.write(
          `${JSON.stringify({ matched: matched ?? null, closest: closest ?? null, flagged: result?.flagged ?? false, score: result?.score ?? 0 })}\n`,
        );
        return;
      }
      if (matched) {
        cli.stdout.write(`matches ${matched.id} (similarity ${matched.similarity.toFixed(2)})\n`);
        cli.stdout.write(
          `  claim:  ${matched.claim}\n  fact:   ${matched.fact}\n  source: ${matched.source.name}, ${matched.source.url}\n`,
        );
      } else {
        cli.stdout.write(
          closest
            ? `no match; closest: ${closest.id} (similarity ${closest.similarity.toFixed(2)}, below the policy's threshold)\n`
            : 'no match\n',
        );
      }
      cli.stdout.write(`misinformation ${result?.flagged ? 'flagged' : 'not flagged'}, score ${(result?.score ?? 0).toFixed(3)}\n`);
    });

  claims
    .command('add')
    .description('add a false claim to a topic file of policies/claims/, validated before it is written')
    .requiredOption('--topic <topic>', 'the topic file (created with --title when new)')
    .requiredOption('--id <id>', 'a new id: lower-case letters, digits and -, starting with the topic', parseId)
    .requiredOption('--claim <text>', 'the false claim, stated as a believer states it')
    .requiredOption('--fact <text>', 'the established fact, in plain words')
    .requiredOption('--source-name <name>', 'the public body that debunks it (WHO, CDC, NHS, FDA…)')
    .requiredOption('--source-url <url>', 'the https:// address of its page')
    .option('--paraphrase <text>', 'another way a member might state it (at least two)', collect)
    .option('--title <title>', 'the topic’s title, for a new topic file')
    .option('--policies <dir>', "policy directory (default: the repository's policies/)")
    .addHelpText(
      'after',
      [
        '',
        'Then check the base still loads and see what changed on labelled data:',
        '  npx hearth policies validate && npx hearth diff --base HEAD --dataset datasets/forum-posts.tune.jsonl',
        '',
        'Example:',
        '  npx hearth claims add --topic cures --id cures-lemon-water-cures-cancer \\',
        '    --claim "Hot lemon water cures cancer." --fact "No food or drink cures cancer." \\',
        '    --source-name "Cancer Research UK" --source-url https://www.cancerresearchuk.org/ \\',
        '    --paraphrase "Drink hot lemon water daily and the tumour melts away." \\',
        '    --paraphrase "Lemon water kills cancer cells better than chemo."',
      ].join('\n'),
    )
    .action(async (opts: AddOptions) => {
      const dir = opts.policies ?? defaultPoliciesDir;
      if (!opts.id.startsWith(`${opts.topic}-`))
        throw new AppError('bad_request', `--id ${opts.id}: start it with the topic, "${opts.topic}-"`);
      if ((opts.paraphrase ?? []).length < 2) throw new AppError('bad_request', '--paraphrase: give at least two');
      const set = await loadPolicies(opts.policies);
      if (set.knowledge.claims.some((c) => c.id === opts.id)) throw new AppError('bad_request', `--id ${opts.id}: already in the base`);
      const file = join(dir, 'claims', `${opts.topic}.yaml`);
      const existing = await readFile(file, 'utf8').catch(() => undefined);
      if (existing === undefined && !opts.title)
        throw new AppError('bad_request', `--topic ${opts.topic}: no such topic file; give --title to create it`);
      const doc = parseDocument(existing ?? `topic: ${opts.topic}\ntitle: ${JSON.stringify(opts.title)}\nclaims: []\n`);
      const entry = {
        id: opts.id,
        claim: opts.claim,
        fact: opts.fact,
        source: { name: opts.sourceName, url: opts.sourceUrl },
        paraphrases: opts.paraphrase,
      };
      doc.addIn(['claims'], doc.createNode(entry));
      const raw = doc.toString({ lineWidth: 0 });
      // Validated as the loader will read it, so a bad claim never reaches the file.
      parseClaims(`claims/${opts.topic}.yaml`, raw);
      await writeFile(file, raw);
      cli.stdout.write(`added ${opts.id} to ${file}\n`);
    });

  return claims;
}

interface AddOptions {
  topic: string;
  id: string;
  claim: string;
  fact: string;
  sourceName: string;
  sourceUrl: string;
  paraphrase?: string[];
  title?: string;
  policies?: string;
}

function parseId(value: string): string {
  if (!ID.test(value)) throw new InvalidArgumentError('use lower-case letters, digits and -');
  return value;
}
