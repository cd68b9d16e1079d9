// The application: state in a reducer, keys turned into intents, and the effects the intents ask for (reload,
// watch, probe, dry run and apply, writing fix YAML). Everything shown comes from the report and from what the
// context's actions return.
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Finding, InspectReport } from '../report/types.ts';
import { DetailPane, maxScroll } from './components/DetailPane.tsx';
import { FindingsPane } from './components/FindingsPane.tsx';
import { Footer } from './components/Footer.tsx';
import { Header } from './components/Header.tsx';
import { Panel } from './components/Panel.tsx';
import { LinesView } from './components/LineView.tsx';
import { TreePane } from './components/TreePane.tsx';
import type { TuiContext } from './contract.ts';
import { findingLines, nodeLines } from './describe.ts';
import { burstKeys, intentFor, type Intent, type KeyLike } from './keys.ts';
import { layout, MIN_COLUMNS, MIN_ROWS, type Size } from './layout.ts';
import { seg, wrapLine, type Line } from './lines.ts';
import { fixPreviewLines, helpLines, planLines, probeLines, resultLines } from './panels.ts';
import { currentFindings, initialState, reduce, rows, selectedFinding, selectedNode, visibleFindings, type Action, type Overlay, type UiState } from './state.ts';
import { ThemeContext } from './theme.ts';
import { countWords } from './words.ts';

export interface AppProps {
  ctx: TuiContext;
  /** Colour on (a colour terminal without NO_COLOR) or off. */
  color: boolean;
  /** A fixed size (tests); otherwise the terminal's, following resizes. */
  size?: Size;
  /** The clock for "updated at" (tests). */
  now?: () => Date;
  /** Called with every report the UI shows (the exit code follows the last one). */
  onReport?: (report: InspectReport) => void;
  /** Called when the user quits with Ctrl-C (the command then exits 130). */
  onInterrupt?: () => void;
}

function useTerminalSize(fixed: Size | undefined): Size {
  const { stdout } = useStdout();
  const read = useCallback((): Size => {
    const out = stdout as NodeJS.WriteStream;
    return fixed ?? { columns: out.columns || 80, rows: out.rows || 24 };
  }, [fixed, stdout]);
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) {
      setSize(fixed);
      return;
    }
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [fixed, read, stdout]);
  return size;
}

const describeError = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function defaultSavePath(findings: Finding[]): string {
  const f = findings[0];
  if (findings.length !== 1 || !f) return 'gwtls-fixes.yaml';
  return `gwtls-fix-${f.code.replace(/^GWTLS-/, '').toLowerCase()}-${f.object.name}.yaml`;
}

function summaryOf(r: InspectReport): string {
  return countWords(r.summary) || 'no findings';
}

export function App({ ctx, color, size: fixedSize, now = () => new Date(), onReport, onInterrupt }: AppProps) {
  const { exit } = useApp();
  const size = useTerminalSize(fixedSize);
  // The reducer runs here rather than in useReducer, so that the ref always holds the state the next key sees:
  // several keys can arrive in one read (typing fast, a paste, key repeat) and each acts on the one before.
  const [state, setState] = useState(() => initialState(ctx.report, { listView: !ctx.gatewayName, size, now: now() }));
  const stateRef = useRef<UiState>(state);
  const dispatch = useCallback((a: Action) => {
    const next = reduce(stateRef.current, a);
    if (next === stateRef.current) return;
    stateRef.current = next;
    setState(next);
  }, []);
  const reloading = useRef(false);
  const applySeq = useRef(0);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const safeDispatch = useCallback(
    (a: Action) => {
      if (mounted.current) dispatch(a);
    },
    [dispatch],
  );

  useEffect(() => {
    if (size.columns !== state.size.columns || size.rows !== state.size.rows) dispatch({ type: 'resize', size });
  }, [size, state.size]);

  const lay = layout(state.size, state.focus);
  const allRows = rows(state);
  const node = selectedNode(state);
  const finding = selectedFinding(state);
  const findings = visibleFindings(state);

  // ---- effects ----------------------------------------------------------------------------------------------------

  const reload = useCallback(
    async (why: 'refresh' | 'watch' | 'apply'): Promise<InspectReport | null> => {
      if (reloading.current) return null;
      reloading.current = true;
      safeDispatch({ type: 'busy', what: why === 'watch' ? 'watch: reloading…' : 'reloading…' });
      try {
        const report = await ctx.reload();
        onReport?.(report);
        safeDispatch({ type: 'loaded', report, at: now(), ...(why === 'refresh' ? { message: `reloaded: ${summaryOf(report)}` } : {}) });
        return report;
      } catch (e) {
        safeDispatch({ type: 'busy', what: null });
        safeDispatch({ type: 'message', text: `reload failed: ${describeError(e)}`, tone: 'bad' });
        return null;
      } finally {
        reloading.current = false;
      }
    },
    [ctx, now, onReport, safeDispatch],
  );

  // The next reload is timed from the end of the last one: analysing a large cluster takes seconds of CPU, and
  // the keyboard must get its turn in between.
  useEffect(() => {
    if (!state.watch) return;
    const ms = Math.max(1, ctx.watchIntervalSeconds) * 1000;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      await reload('watch');
      if (!stopped) timer = setTimeout(tick, ms);
    };
    timer = setTimeout(tick, ms);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [state.watch, ctx.watchIntervalSeconds, reload]);

  const unavailable = (what: string) => (ctx.report.source.type === 'files' ? `${what} needs a cluster: this report was read from files` : `${what} is not available in this build`);

  const probe = useCallback(() => {
    const s = stateRef.current;
    const n = selectedNode(s);
    if (!n || (n.data.kind !== 'listener' && n.data.kind !== 'backend')) {
      dispatch({ type: 'message', text: 'p probes a listener or a backend: select one in the tree', tone: 'warn' });
      return;
    }
    const key = n.key;
    if (n.data.kind === 'listener') {
      const { gw, l } = n.data;
      if (!ctx.probeListener) return dispatch({ type: 'message', text: unavailable('probing'), tone: 'warn' });
      const target = `listener ${l.name} of ${gw.namespace}/${gw.name}`;
      dispatch({ type: 'probe', key, probe: { status: 'running', target } });
      ctx.probeListener({ namespace: gw.namespace, name: gw.name }, l.name).then(
        (reports) => safeDispatch({ type: 'probe', key, probe: { status: 'done', target, reports } }),
        (e: unknown) => safeDispatch({ type: 'probe', key, probe: { status: 'failed', target, error: describeError(e) } }),
      );
      return;
    }
    const b = n.data.backend;
    if (!ctx.probeBackend) return dispatch({ type: 'message', text: unavailable('probing'), tone: 'warn' });
    if (b.port === null) return dispatch({ type: 'message', text: `${b.kind} ${b.namespace}/${b.name} has no port to probe`, tone: 'warn' });
    const target = `${b.kind} ${b.namespace}/${b.name}:${b.port}`;
    dispatch({ type: 'probe', key, probe: { status: 'running', target } });
    ctx.probeBackend({ namespace: b.namespace, name: b.name, port: b.port }).then(
      (report) => safeDispatch({ type: 'probe', key, probe: { status: 'done', target, reports: [report] } }),
      (e: unknown) => safeDispatch({ type: 'probe', key, probe: { status: 'failed', target, error: describeError(e) } }),
    );
  }, [ctx, safeDispatch]);

  const startApply = useCallback(
    (findingsIn: Finding[], withSuggestions = false) => {
      // Picked suggestions must be complete (no value left to fill in) to be applied from here.
      const picked = findingsIn.flatMap((finding) => finding.fixes.filter((fix) => fix.type === 'fix' || (withSuggestions && !fix.gaps?.length)).map((fix) => ({ finding, fix })));
      const safe = findingsIn.filter((f) => picked.some((p) => p.finding === f));
      if (picked.length === 0) {
        const text = findingsIn.some((f) => f.fixes.length)
          ? withSuggestions
            ? 'nothing to apply: these suggestions leave a value for you to fill in (f shows the YAML, s saves it)'
            : 'only suggestions here: never applied without you; f shows them, then A applies them after you confirm in words'
          : findingsIn.length
            ? 'nothing to apply: no fix is offered here'
            : 'nothing to apply: select a finding (tab to the findings list) or a node with findings';
        dispatch({ type: 'message', text, tone: 'warn' });
        return;
      }
      const apply = ctx.apply;
      if (!apply) {
        dispatch({ type: 'message', text: `${unavailable('applying')}; f shows the fix and s saves it for kubectl apply --server-side`, tone: 'warn' });
        return;
      }
      const seq = ++applySeq.current;
      const base = { kind: 'apply' as const, findings: safe, scroll: 0, withSuggestions: picked.some((p) => p.fix.type === 'suggestion') };
      dispatch({ type: 'overlay', overlay: { ...base, phase: 'planning' } });
      apply.plan(picked).then(
        (ready) => {
          if (applySeq.current === seq && stateRef.current.overlay?.kind === 'apply') safeDispatch({ type: 'overlay', overlay: { ...base, phase: 'confirm', ready } });
        },
        (e: unknown) => {
          if (applySeq.current === seq && stateRef.current.overlay?.kind === 'apply') safeDispatch({ type: 'overlay', overlay: { ...base, phase: 'failed', error: `dry run failed: ${describeError(e)}` } });
        },
      );
    },
    [ctx, safeDispatch],
  );

  const confirmApply = useCallback(async () => {
    const o = stateRef.current.overlay;
    const apply = ctx.apply;
    if (o?.kind !== 'apply' || o.phase !== 'confirm' || !o.ready || !apply) return;
    const ready = o.ready;
    if (ready.blocked || ready.plan.changes.every((c) => c.error)) {
      dispatch({ type: 'overlay', overlay: { ...o, phase: 'failed', error: ready.blocked ?? 'no change passed the dry run; nothing was changed' } });
      return;
    }
    const seq = ++applySeq.current;
    const before = stateRef.current.model.report.summary;
    dispatch({ type: 'overlay', overlay: { ...o, phase: 'applying' } });
    try {
      const results = await apply.execute(ready);
      const after = await reload('apply');
      if (applySeq.current !== seq) return;
      safeDispatch({ type: 'overlay', overlay: { ...o, phase: 'done', results, before, ...(after ? { after: after.summary } : {}) } });
    } catch (e) {
      if (applySeq.current === seq) safeDispatch({ type: 'overlay', overlay: { ...o, phase: 'failed', error: `apply failed: ${describeError(e)}` } });
    }
  }, [ctx, reload, safeDispatch]);

  const submitPrompt = useCallback(() => {
    const s = stateRef.current;
    const p = s.prompt;
    if (!p) return;
    if (p.kind === 'search') {
      const query = p.text.trim();
      if (!query) return dispatch({ type: 'prompt', prompt: null });
      dispatch({ type: 'search', query, matches: s.model.search(query) });
      return;
    }
    if (p.kind === 'confirm') {
      dispatch({ type: 'prompt', prompt: null });
      if (p.text.trim().toLowerCase() === p.word) void confirmApply();
      else dispatch({ type: 'message', text: `not applied: type ${p.word} to confirm`, tone: 'warn' });
      return;
    }
    const path = p.text.trim();
    dispatch({ type: 'prompt', prompt: null });
    if (!path) return;
    ctx
      .fixStream(p.findings)
      .then((text) => ctx.writeFile(path, text))
      .then(
      (written) => safeDispatch({ type: 'message', text: `wrote ${written}: review it, then kubectl apply --server-side -f ${written}`, tone: 'ok' }),
      (e: unknown) => safeDispatch({ type: 'message', text: `could not write ${path}: ${describeError(e)}`, tone: 'bad' }),
    );
  }, [ctx, safeDispatch, confirmApply]);

  // ---- what is on screen --------------------------------------------------------------------------------------------

  const detailWidth = lay.detailWidth;
  const probeState = node ? state.probes.get(node.key) : undefined;
  const detail = useMemo((): { title: string; lines: Line[] } => {
    if (state.detailOf === 'finding' && finding) return { title: `Detail: ${finding.code}`, lines: findingLines(finding, detailWidth, { withObject: true }) };
    if (!node) return { title: 'Detail', lines: [[seg('Nothing in scope: no Gateway to show.', 'dim')]] };
    const lines = nodeLines(state.model, node, detailWidth);
    if (probeState) lines.splice(1, 0, ...probeLines(probeState, detailWidth));
    return { title: `Detail: ${node.label.split('  ')[0]}`, lines };
  }, [state.detailOf, state.model, finding, node, detailWidth, probeState]);

  const panel = useMemo((): { title: string; lines: Line[]; footer?: Line } | null => {
    const o: Overlay | null = state.overlay;
    if (!o) return null;
    const width = lay.width;
    if (o.kind === 'help') return { title: 'Help', lines: helpLines(width, ctx.watchIntervalSeconds) };
    if (o.kind === 'fixes') return { title: `Fix preview (${o.findings.length} finding${o.findings.length === 1 ? '' : 's'})`, lines: fixPreviewLines(o.findings, width, Boolean(ctx.apply)) };
    const where = ctx.apply ? `context ${ctx.apply.context} (${ctx.apply.server})` : 'the cluster';
    const lines: Line[] = [];
    if (o.phase === 'planning') lines.push(...wrapLine(`Server-side dry run against ${where}…`, width, { tone: 'info' }));
    if (o.ready) lines.push(...wrapLine(`Fix plan, with the server-side dry run against ${where}:`, width, { tone: 'dim' }), [], ...planLines(o.ready, width), []);
    let footer: Line | undefined;
    if (o.phase === 'confirm') {
      const changes = o.ready && !o.ready.blocked ? o.ready.plan.changes.filter((c) => !c.error) : [];
      const widening = o.ready?.plan.fixes.filter((f) => f.status === 'planned' && f.fix.widensAccess) ?? [];
      if (o.ready?.blocked) lines.push(...wrapLine(o.ready.blocked, width, { tone: 'bad' }));
      if (widening.length) lines.push(...wrapLine(`This plan WIDENS ACCESS across a namespace boundary: ${widening.flatMap((f) => f.fix.grants ?? []).join('; ')}.`, width, { tone: 'bad', bold: true }));
      if (changes.length) lines.push(...wrapLine(`Apply the plan (${changes.length} object${changes.length === 1 ? '' : 's'}) to context ${ctx.apply?.context ?? '?'} as field manager kubectl-gwtls?`, width, { tone: 'warn', bold: true }));
      const word = o.withSuggestions ? (widening.length ? 'grant' : 'apply') : null;
      footer = changes.length
        ? word
          ? [seg('Includes suggestions you picked. ', 'warn', true), seg('y', 'accent', true), seg(` then type ${word} to apply  `), seg('n', 'accent', true), seg(' cancel (nothing changes)')]
          : [seg('Apply for real? ', 'warn', true), seg('y', 'accent', true), seg(' apply  '), seg('n', 'accent', true), seg(' cancel (nothing changes)')]
        : [seg('Nothing in the plan can be applied. ', 'bad'), seg('esc', 'accent', true), seg(' close')];
    }
    // The outcome goes first, where the eye is; the plan it came from follows.
    const head: Line[] = [];
    if (o.phase === 'applying') head.push([seg('Applying…', 'info', true)]);
    if (o.phase === 'done') {
      const b = o.before;
      const a = o.after;
      if (a && b) head.push(...wrapLine(`Re-evaluated: ${a.errors} error(s), ${a.warnings} warning(s) now (before: ${b.errors}, ${b.warnings}). The tree shows the new state.`, width, { tone: a.errors < b.errors ? 'ok' : 'warn' }));
      else head.push(...wrapLine('Applied, but reloading failed; press r to refresh.', width, { tone: 'warn' }));
      footer = [seg('esc', 'accent', true), seg(' close and see the path')];
    }
    if (o.results) head.push([seg('Result', 'accent', true)], ...resultLines(o.results, width));
    if (o.phase === 'failed') {
      head.push(...wrapLine(o.error ?? 'failed', width, { tone: 'bad' }));
      footer = [seg('Nothing was changed. ', 'bad'), seg('esc', 'accent', true), seg(' close')];
    }
    if (head.length) lines.unshift(...head, []);
    return { title: `${o.withSuggestions ? 'Apply picked fixes and suggestions' : 'Apply safe fixes'} (${o.phase})`, lines, ...(footer ? { footer } : {}) };
  }, [state.overlay, lay.width, ctx]);

  // ---- keys -------------------------------------------------------------------------------------------------------

  const run = useCallback(
    (intent: Intent) => {
      const s = stateRef.current;
      switch (intent.kind) {
        case 'action':
          dispatch(intent.action);
          return;
        case 'scroll': {
          const l = layout(s.size, s.focus);
          if (s.overlay) {
            const p = panelRef.current;
            const h = p?.footer ? l.panelHeight - 1 : l.panelHeight;
            dispatch({ type: 'scroll', delta: intent.delta, max: p ? maxScroll(p.lines, h) : 0 });
          } else dispatch({ type: 'scroll', delta: intent.delta, max: maxScroll(detailRef.current.lines, l.detailHeight) });
          return;
        }
        case 'quit':
          exit();
          return;
        case 'interrupt':
          onInterrupt?.();
          exit();
          return;
        case 'reload':
          void reload('refresh');
          return;
        case 'toggleWatch':
          dispatch({ type: 'watch', on: !s.watch });
          return;
        case 'probe':
          probe();
          return;
        case 'fixes': {
          const fs = currentFindings(s).filter((f) => f.fixes.length);
          if (fs.length === 0) {
            dispatch({ type: 'message', text: currentFindings(s).length ? 'no fix is offered for the findings here' : 'no findings here: select a node with findings, or tab to the findings list', tone: 'warn' });
            return;
          }
          dispatch({ type: 'overlay', overlay: { kind: 'fixes', findings: fs, scroll: 0 } });
          return;
        }
        case 'apply': {
          const o = s.overlay;
          startApply(o?.kind === 'fixes' ? o.findings : currentFindings(s));
          return;
        }
        case 'applySuggestions': {
          const o = s.overlay;
          if (o?.kind === 'fixes') startApply(o.findings, true);
          return;
        }
        case 'confirmApply':
          void confirmApply();
          return;
        case 'savePrompt': {
          const o = s.overlay;
          if (o?.kind === 'fixes') dispatch({ type: 'prompt', prompt: { kind: 'save', text: defaultSavePath(o.findings), findings: o.findings } });
          return;
        }
        case 'submitPrompt':
          submitPrompt();
          return;
        case 'none':
          return;
      }
    },
    [exit, onInterrupt, reload, probe, startApply, confirmApply, submitPrompt],
  );

  const detailRef = useRef(detail);
  detailRef.current = detail;
  const panelRef = useRef(panel);
  panelRef.current = panel;

  const handleKey = useCallback(
    (input: string, key: KeyLike) => {
      const s = stateRef.current;
      const l = layout(s.size, s.focus);
      const page = Math.max(1, (s.overlay ? l.panelHeight : l.detailHeight) - 1);
      const intent = intentFor(s, input, key, page);
      if (intent.kind === 'none') return;
      if (s.message && !s.prompt) dispatch({ type: 'message', text: '', tone: 'plain' });
      if (intent.kind === 'action' && intent.action.type === 'overlay' && intent.action.overlay === null) applySeq.current++;
      run(intent);
    },
    [dispatch, run],
  );

  /** Printable keys that arrived together are pressed one by one (outside a prompt, where they are text). */
  const typed = useCallback(
    (input: string, key: KeyLike) => {
      if (input.length > 1 && !stateRef.current.prompt && !key.ctrl && !key.meta && /^[\x20-\x7e]+$/.test(input)) {
        for (const ch of input) handleKey(ch, {});
        return;
      }
      handleKey(input, key);
    },
    [handleKey],
  );

  useInput((input, key) => {
    // Text and Enter in one read (a paste, fast typing): each line, then Enter, in order; the state each key sees
    // is the one the key before left (a prompt opened by `/` takes the text after it).
    const burst = key.ctrl || key.meta ? null : burstKeys(input);
    if (burst) {
      for (const b of burst) typed(b.input, b.key);
      return;
    }
    typed(input, key as KeyLike);
  });

  // ---- layout -----------------------------------------------------------------------------------------------------

  const theme = useMemo(() => ({ color }), [color]);
  const { columns, rows: height } = state.size;
  if (columns < MIN_COLUMNS || height < MIN_ROWS) {
    return (
      <Box width={columns}>
        <Text wrap="truncate-end">{`terminal too small: need ${MIN_COLUMNS}x${MIN_ROWS}, have ${columns}x${height} (q quits)`}</Text>
      </Box>
    );
  }
  const header = <Header report={state.model.report} {...(ctx.gatewayName ? { gatewayName: ctx.gatewayName } : {})} width={columns} watch={state.watch} watchSeconds={ctx.watchIntervalSeconds} busy={state.busy} updatedAt={state.updatedAt} />;
  const footer = <Footer prompt={state.prompt} message={state.message} width={columns} />;
  const tree = <TreePane model={state.model} rows={allRows} cursor={state.cursor} top={state.treeTop} width={lay.leftWidth} height={lay.treeHeight} focused={state.focus === 'tree' && !state.overlay} />;
  const findingsPane = <FindingsPane findings={findings} total={state.model.report.findings.length} errorsOnly={state.errorsOnly} cursor={state.findingCursor} top={state.findingTop} width={lay.leftWidth} height={lay.findingsHeight} focused={state.focus === 'findings' && !state.overlay} />;
  const detailPane = <DetailPane title={detail.title} lines={detail.lines} scroll={state.detailScroll} width={lay.detailWidth} height={lay.detailHeight} focused={state.focus === 'detail' && !state.overlay} />;
  let body;
  if (panel) {
    body = <Panel title={panel.title} lines={panel.lines} scroll={state.overlay?.scroll ?? 0} width={columns} height={lay.panelHeight} {...(panel.footer ? { footer: panel.footer } : {})} />;
  } else if (lay.wide) {
    body = (
      <Box flexDirection="row">
        <Box flexDirection="column" width={lay.leftWidth}>
          {tree}
          {findingsPane}
        </Box>
        <Box flexDirection="column" width={1}>
          <LinesView lines={[]} height={height - 2} fill="│" />
        </Box>
        {detailPane}
      </Box>
    );
  } else {
    body = (
      <>
        {tree}
        {detailPane}
        {findingsPane}
      </>
    );
  }
  return (
    <ThemeContext.Provider value={theme}>
      <Box flexDirection="column" width={columns}>
        {header}
        {body}
        {footer}
      </Box>
    </ThemeContext.Provider>
  );
}
