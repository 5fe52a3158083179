// Validate WordPress block markup offline with WordPress's own block packages.
//
// Reads a JSON array of post-content strings on stdin and prints one JSON object on stdout:
//   {"packages": {...versions...},
//    "posts": [{"blocks": [block, ...], "serialized": "...", "roundTrips": bool}, ...]}
// with one entry per input post, in input order. "serialized" is what the block editor would save
// after loading the post (serialize(parse(markup))); "roundTrips" tells whether that is the input
// exactly, i.e. the markup is byte for byte WordPress's own serialisation. Each block (inner
// blocks flattened, depth-first, parents before children) is
//   {"name", "path" ("0.1": second inner block of the first block), "depth", "isValid",
//    "deprecatedMigrated", "validationIssues": [string, ...], "originalContent"}
// "deprecatedMigrated" is true when the block is valid only through one of its block type's
// deprecations, or a deprecation changed it: the block editor would silently rewrite it.
//
// Usage: node validate.mjs < posts.json   (run scripts/install-block-validator.sh first)
//
// Everything the packages log goes to stderr so that stdout holds only the JSON result.

import { createRequire } from 'node:module';
import { format } from 'node:util';

const require = createRequire(import.meta.url);

// A block type object in a log message stands for its name (a full dump is huge).
function shortArg(arg) {
	if (arg && typeof arg === 'object' && typeof arg.name === 'string' && 'save' in arg) {
		return arg.name;
	}
	return arg;
}

// Keep stdout for the result: the packages (React, the block parser) log to the console.
// Set BLOCK_VALIDATOR_DEBUG=1 to see it on stderr.
const debug = Boolean(process.env.BLOCK_VALIDATOR_DEBUG);
const stderrLog = (...args) => {
	if (debug) {
		process.stderr.write(format(...args.map(shortArg)) + '\n');
	}
};
const migrationLogs = [];
for (const level of ['log', 'info', 'warn', 'error', 'debug', 'group', 'groupEnd']) {
	console[level] = stderrLog;
}
// The parser announces each successful deprecation migration with
// console.groupCollapsed('Updated Block: %s') then console.info(..., name, blockType,
// newContent, originalContent).
console.groupCollapsed = stderrLog;
console.info = (...args) => {
	if (typeof args[0] === 'string' && args[0].startsWith('Block successfully updated')) {
		migrationLogs.push({ name: args[1], originalContent: args[4] });
		stderrLog('migrated deprecated %s', args[1]);
		return;
	}
	stderrLog(...args);
};

const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
	url: 'http://localhost/',
	pretendToBeVisual: true,
});
const { window } = dom;
// The Classic block registers only in a WordPress page (window.wp.oldEditor present).
window.wp = { oldEditor: { initialize() {}, remove() {}, getContent() { return ''; } } };
const globalNames = [
	'window', 'document', 'navigator', 'Node', 'Element', 'HTMLElement', 'DOMParser',
	'MutationObserver', 'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame',
	'CustomEvent', 'Event', 'KeyboardEvent', 'MouseEvent', 'Range', 'Selection',
	'DocumentFragment', 'Text', 'localStorage', 'sessionStorage', 'matchMedia',
];
for (const name of globalNames) {
	if (name === 'window') {
		globalThis.window = window;
	} else if (window[name] !== undefined) {
		Object.defineProperty(globalThis, name, {
			value: typeof window[name] === 'function' && /^[a-z]/.test(name)
				? window[name].bind(window)
				: window[name],
			configurable: true,
			writable: true,
		});
	}
}
if (!window.matchMedia) {
	window.matchMedia = () => ({
		matches: false, addListener() {}, removeListener() {},
		addEventListener() {}, removeEventListener() {},
	});
	globalThis.matchMedia = window.matchMedia;
}

const blocks = require('@wordpress/blocks');
const { registerCoreBlocks } = require('@wordpress/block-library');

registerCoreBlocks();

function versionOf(name) {
	try {
		return require(`${name}/package.json`).version;
	} catch {
		return null;
	}
}

function issueText(issue) {
	try {
		return format(...(issue.args || []).map(shortArg));
	} catch {
		return String(issue);
	}
}

// Parse with every block type's deprecations switched off: a block that is valid only with
// them (or that they change) is one the block editor would silently rewrite on load.
function parseStrictly(markup) {
	const saved = [];
	for (const blockType of blocks.getBlockTypes()) {
		if (blockType.deprecated) {
			saved.push([blockType, blockType.deprecated]);
			blockType.deprecated = undefined;
			if (blockType.deprecated !== undefined) {
				throw new Error(`cannot switch off the deprecations of ${blockType.name}`);
			}
		}
	}
	try {
		return blocks.parse(markup, { __unstableSkipMigrationLogs: true });
	} finally {
		for (const [blockType, deprecated] of saved) {
			blockType.deprecated = deprecated;
		}
	}
}

function byPath(parsed, prefix = '', out = new Map()) {
	parsed.forEach((block, index) => {
		const path = `${prefix}${index}`;
		out.set(path, block);
		byPath(block.innerBlocks || [], `${path}.`, out);
	});
	return out;
}

function flatten(parsed, strict, prefix = '', depth = 0, out = []) {
	parsed.forEach((block, index) => {
		const path = `${prefix}${index}`;
		const plain = strict.get(path);
		const logged = migrationLogs.some(
			(entry) => entry.name === block.name && entry.originalContent === block.originalContent,
		);
		const changed = !plain || plain.name !== block.name || !plain.isValid
			|| JSON.stringify(plain.attributes) !== JSON.stringify(block.attributes)
			|| (plain.innerBlocks || []).length !== (block.innerBlocks || []).length;
		out.push({
			name: block.name,
			path,
			depth,
			isValid: Boolean(block.isValid),
			deprecatedMigrated: Boolean(block.isValid) && (logged || changed),
			validationIssues: (block.validationIssues || []).map(issueText),
			originalContent: block.originalContent ?? null,
		});
		flatten(block.innerBlocks || [], strict, `${path}.`, depth + 1, out);
	});
	return out;
}

async function readStdin() {
	const chunks = [];
	for await (const chunk of process.stdin) {
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

const posts = JSON.parse(await readStdin());
if (!Array.isArray(posts) || posts.some((post) => typeof post !== 'string')) {
	process.stderr.write('validate.mjs: expected a JSON array of strings on stdin\n');
	process.exit(2);
}

const result = {
	packages: Object.fromEntries(
		['@wordpress/blocks', '@wordpress/block-library', 'react', 'jsdom'].map((name) => [
			name, versionOf(name),
		]),
	),
	posts: posts.map((markup) => {
		migrationLogs.length = 0;
		const parsed = blocks.parse(markup);
		const out = flatten(parsed, byPath(parseStrictly(markup)));
		const serialized = blocks.serialize(parsed);
		return { blocks: out, serialized, roundTrips: serialized === markup };
	}),
};
// Some packages leave timers running under jsdom: exit once the result is flushed.
process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
