/**
 * The import rules `npm test` enforces (`npm run lint:deps`). Type-only imports count too
 * (tsPreCompilationDeps): a cycle through types is still a cycle a reader has to untangle.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules must not depend on themselves, directly or through others (types included).',
      from: { path: '^(src|commands|bin)/' },
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'src/core (parse → normalize → diff → alert) imports nothing of ours outside src/core.',
      from: { path: '^src/core/' },
      to: { path: '^(src|commands|bin|test|bench|seeds)/', pathNot: '^src/core/' },
    },
    {
      name: 'poll-flow-knows-no-chat-platform',
      severity: 'error',
      comment: 'Sources, the poll, the store and the renderers work without Discord or Slack: only adapters talk to them.',
      from: { path: '^src/(core|sources|pipeline|store|render|factcheck|search|subscriptions)/' },
      to: { path: '^(src/adapters/|commands/)' },
    },
    {
      name: 'no-handler-imports-another',
      severity: 'error',
      comment: 'A command handler reaches services through its context; shared logic lives in src/, not in another handler.',
      from: { path: '^commands/([^/]+)[.]ts$', pathNot: '^commands/index[.]ts$' },
      to: { path: '^commands/', pathNot: '^commands/$1[.]ts$' },
    },
    {
      name: 'config-imports-no-adapter',
      severity: 'error',
      comment: 'Configuration is declared without the adapters: they read it, it does not read them.',
      from: { path: '^src/(config|config-fields)[.]ts$|^src/settings/' },
      to: { path: '^(src/adapters/|commands/)' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
