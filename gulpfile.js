// tsc compiles only .ts: this copies what n8n reads next to the compiled files in dist/,
// the SVG icons (resolved from `file:` paths) and each node's codex (<Node>.node.json).
const { src, dest, parallel } = require('gulp');

function buildIcons() {
	return src('icons/**/*.svg').pipe(dest('dist/icons'));
}

function buildCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

exports['build:icons'] = parallel(buildIcons, buildCodex);
