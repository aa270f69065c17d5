import {
  type AstNode,
  metaBool,
  metaString,
  nodeText,
  rangeText,
  type TraversalStep,
  traversalOf,
} from './ast.js';
import type { CompiledExpression, ExpressionCache } from './expressions.js';
import { callFunction, FUNCTIONS, type FunctionContext } from './functions.js';
import {
  HclEvalError,
  isObjectValue,
  isUnknownValue,
  LazyObject,
  objectFrom,
  ownValue,
  sortedKeys,
  type Tracker,
  toBool,
  toList,
  toNum,
  toStr,
  typeName,
  Unevaluated,
  type Value,
  valuesEqual,
} from './values.js';

/** What an expression can see of the module it is written in. */
export interface ModuleEnv {
  /** `path.module`: the module's directory relative to the root module ('.' for the root). */
  readonly pathModule: string;
  readonly expressions: ExpressionCache;
  readonly functions: FunctionContext;
  variable(name: string, tracker: Tracker): Value;
  local(name: string, tracker: Tracker): Value;
  /** A resource block's value (instance, list or map of instances); undefined when not declared. */
  resource(type: string, name: string): Value | undefined;
  /** A module call's value (outputs); undefined when not declared. */
  moduleCall(name: string): Value | undefined;
}

export interface EvalScope {
  readonly env: ModuleEnv;
  /** `count.index` inside a counted block. */
  readonly count?: Value;
  /** `each.key` / `each.value` inside a for_each block. */
  readonly each?: { readonly key: Value; readonly value: Value };
  /** Symbols bound by for expressions, dynamic-block iterators and template variables. */
  readonly names: ReadonlyMap<string, Value>;
  /** A template file sees only the variables it is given. */
  readonly isolated?: boolean;
  /** The element a splat's anonymous symbol stands for. */
  readonly splat?: { readonly item: Value };
}

export function withNames(scope: EvalScope, bindings: Iterable<readonly [string, Value]>): EvalScope {
  const names = new Map(scope.names);
  for (const [name, value] of bindings) names.set(name, value);
  return { ...scope, names };
}

type TemplateMode = 'quoted' | 'heredoc';

const QUOTED_ESCAPES = /\\(["\\nrt]|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})|\$\$\{|%%\{/g;
const HEREDOC_ESCAPES = /\$\$\{|%%\{/g;

/** The parser hands literal template text over as written; escapes are resolved here. */
function unescapeLiteral(raw: string, mode: TemplateMode): string {
  return raw.replace(mode === 'quoted' ? QUOTED_ESCAPES : HEREDOC_ESCAPES, (match: string, esc?: string) => {
    if (match === '$${') return '${';
    if (match === '%%{') return '%{';
    switch (esc?.[0]) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
      case 'U':
        return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
      default:
        return esc ?? match;
    }
  });
}

function parseIndexSegment(segment: string): Value {
  if (segment.startsWith('"')) {
    try {
      return JSON.parse(segment) as string;
    } catch {
      return segment.slice(1, -1);
    }
  }
  return /^-?\d+(\.\d+)?$/.test(segment) ? Number(segment) : segment;
}

/** Key/value pairs a for expression or a dynamic block iterates (maps in lexical key order). */
export function iterationPairs(collection: Value): [Value, Value][] {
  if (Array.isArray(collection)) return collection.map((item, i) => [i, item]);
  if (isObjectValue(collection)) return sortedKeys(collection).map((k) => [k, collection[k] as Value]);
  throw new HclEvalError(`cannot iterate over a ${typeName(collection)}`);
}

class Evaluator {
  private mode: TemplateMode = 'quoted';

  constructor(
    private readonly compiled: CompiledExpression,
    private readonly tracker: Tracker,
  ) {}

  private unknown(node: AstNode): Unevaluated {
    return new Unevaluated(`\${${nodeText(node, this.compiled.source)}}`);
  }

  /** An unknown result is labelled with the expression as written, the most useful placeholder. */
  private labelled(node: AstNode, value: Value): Value {
    return value instanceof Unevaluated ? this.unknown(node) : value;
  }

  eval(node: AstNode, scope: EvalScope): Value {
    switch (node.type) {
      case 'literalValue':
        return this.literal(node);
      case 'template':
        return this.template(node, scope);
      case 'templateWrap':
        return node.children[0] ? this.eval(node.children[0], scope) : this.unknown(node);
      case 'templateJoin':
        return this.templateJoin(node, scope);
      case 'tuple':
        return node.children.map((child) => this.eval(child, scope));
      case 'object':
        return this.object(node, scope);
      case 'scopeTraversal':
        return this.scopeTraversal(node, scope);
      case 'relativeTraversal': {
        const source = node.children[0];
        if (!source) return this.unknown(node);
        return this.labelled(node, this.applySteps(this.eval(source, scope), traversalOf(node)));
      }
      case 'index':
        return this.index(node, scope);
      case 'splat':
        return this.splat(node, scope);
      case 'conditional':
        return this.conditional(node, scope);
      case 'unaryOp':
        return this.unary(node, scope);
      case 'binaryOp':
        return this.binary(node, scope);
      case 'function':
        return this.call(node, scope);
      case 'for':
        return this.forExpression(node, scope);
      case '': {
        // Parentheses wrap one child; the splat's anonymous symbol has none.
        const inner = node.children[0];
        if (inner) return this.eval(inner, scope);
        return scope.splat ? scope.splat.item : this.unknown(node);
      }
      default:
        return this.unknown(node);
    }
  }

  private literal(node: AstNode): Value {
    const raw = metaString(node, 'value') ?? '';
    switch (metaString(node, 'type')) {
      case 'number': {
        const n = Number(raw);
        if (!Number.isFinite(n)) throw new HclEvalError(`invalid number ${raw}`);
        return n;
      }
      case 'bool':
        return raw === 'true';
      case 'string':
        return unescapeLiteral(raw, this.mode);
      default:
        return null;
    }
  }

  private template(node: AstNode, scope: EvalScope): Value {
    const isRoot = node === this.compiled.node && this.compiled.heredocRoot;
    const written = nodeText(node, this.compiled.source);
    const outer = this.mode;
    // Directive branches (%{if}) are templates too and keep the mode of the template around them.
    if (isRoot || written.startsWith('<<')) this.mode = 'heredoc';
    else if (written.startsWith('"')) this.mode = 'quoted';
    try {
      let text = '';
      let placeholder = '';
      let unknown = false;
      for (const child of node.children) {
        const v = this.eval(child, scope);
        if (isUnknownValue(v)) {
          unknown = true;
          placeholder += v.placeholder;
          continue;
        }
        if (v === null) throw new HclEvalError('cannot include a null value in a string template');
        const s = toStr(v);
        text += s;
        placeholder += s;
      }
      if (isRoot) {
        text = text.replace(/\n$/, '');
        placeholder = placeholder.replace(/\n$/, '');
      }
      return unknown ? new Unevaluated(placeholder) : text;
    } finally {
      this.mode = outer;
    }
  }

  private templateJoin(node: AstNode, scope: EvalScope): Value {
    const inner = node.children[0];
    if (!inner) return this.unknown(node);
    const parts = this.eval(inner, scope);
    if (isUnknownValue(parts)) return this.unknown(node);
    let text = '';
    for (const part of toList(parts)) {
      if (isUnknownValue(part)) return this.unknown(node);
      text += toStr(part);
    }
    return text;
  }

  private object(node: AstNode, scope: EvalScope): Value {
    const entries: [string, Value][] = [];
    let unknownKey = false;
    for (let i = 0; i + 1 < node.children.length; i += 2) {
      const key = this.objectKey(node.children[i] as AstNode, scope);
      const value = this.eval(node.children[i + 1] as AstNode, scope);
      if (key === undefined) unknownKey = true;
      else entries.push([key, value]);
    }
    return unknownKey ? this.unknown(node) : objectFrom(entries);
  }

  /** A bare identifier is its own text; a quoted or parenthesised key is evaluated. */
  private objectKey(keyNode: AstNode, scope: EvalScope): string | undefined {
    if (keyNode.type === '' && keyNode.children.length === 0) return rangeText(keyNode, this.compiled.source);
    const target =
      keyNode.type === '' && keyNode.children.length === 1 ? (keyNode.children[0] as AstNode) : keyNode;
    const v = this.eval(target, scope);
    return isUnknownValue(v) ? undefined : toStr(v);
  }

  private scopeTraversal(node: AstNode, scope: EvalScope): Value {
    const steps = traversalOf(node);
    const root = steps[0]?.segment;
    if (root === undefined) return this.unknown(node);
    const second = steps[1]?.kind === 'name' ? steps[1].segment : undefined;
    const env = scope.env;
    if (scope.names.has(root)) {
      return this.labelled(node, this.applySteps(scope.names.get(root) as Value, steps.slice(1)));
    }
    if (scope.isolated) throw new HclEvalError(`${root} is not available in a template file`);
    let value: Value | undefined;
    switch (root) {
      case 'var':
        value = second === undefined ? undefined : env.variable(second, this.tracker);
        break;
      case 'local':
        value = second === undefined ? undefined : env.local(second, this.tracker);
        break;
      case 'count':
        if (second !== 'index' || scope.count === undefined)
          throw new HclEvalError('count.index outside a counted block');
        value = scope.count;
        break;
      case 'each':
        if (scope.each === undefined || (second !== 'key' && second !== 'value')) {
          throw new HclEvalError('each outside a for_each block');
        }
        value = second === 'key' ? scope.each.key : scope.each.value;
        break;
      case 'path':
        // path.cwd is an absolute machine path: never worth copying into a finding.
        value = second === 'module' ? env.pathModule : second === 'root' ? '.' : this.unknown(node);
        break;
      case 'terraform':
        value = second === 'workspace' ? 'default' : this.unknown(node);
        break;
      case 'module':
        value = second === undefined ? undefined : env.moduleCall(second);
        if (value === undefined) throw new HclEvalError(`no module call "${second ?? ''}"`);
        break;
      case 'data':
      case 'self':
        return this.unknown(node);
      default:
        value = second === undefined ? undefined : env.resource(root, second);
        if (value === undefined) return this.unknown(node);
    }
    if (value === undefined)
      throw new HclEvalError(`invalid reference ${nodeText(node, this.compiled.source)}`);
    return this.labelled(node, this.applySteps(value, steps.slice(2)));
  }

  private applySteps(start: Value, steps: TraversalStep[]): Value {
    let value = start;
    for (const step of steps) {
      if (value instanceof Unevaluated) return value;
      value =
        step.kind === 'name'
          ? this.attribute(value, step.segment)
          : this.indexValue(value, parseIndexSegment(step.segment));
    }
    return value;
  }

  private attribute(value: Value, name: string): Value {
    if (value instanceof Unevaluated) return value;
    if (value instanceof LazyObject) return value.get(name, this.tracker);
    if (isObjectValue(value)) {
      const found = ownValue(value, name);
      if (found === undefined) throw new HclEvalError(`no attribute "${name}"`);
      return found;
    }
    // Terraform 0.11's `list.0` form still parses as an attribute step.
    if (Array.isArray(value) && /^\d+$/.test(name)) return this.indexValue(value, Number(name));
    throw new HclEvalError(`cannot read attribute "${name}" of a ${typeName(value)}`);
  }

  private indexValue(collection: Value, key: Value): Value {
    if (collection instanceof Unevaluated) return collection;
    if (isUnknownValue(key)) return new Unevaluated('');
    if (collection instanceof LazyObject) return collection.get(toStr(key), this.tracker);
    if (Array.isArray(collection)) {
      const i = toNum(key);
      const item = Number.isInteger(i) ? collection[i] : undefined;
      if (item === undefined) throw new HclEvalError(`index ${i} is out of range`);
      return item;
    }
    if (isObjectValue(collection)) {
      const found = ownValue(collection, toStr(key));
      if (found === undefined) throw new HclEvalError(`no key "${toStr(key)}"`);
      return found;
    }
    throw new HclEvalError(`cannot index a ${typeName(collection)}`);
  }

  private index(node: AstNode, scope: EvalScope): Value {
    const [collectionNode, keyNode] = node.children;
    if (!collectionNode || !keyNode) return this.unknown(node);
    const collection = this.eval(collectionNode, scope);
    const key = this.eval(keyNode, scope);
    return this.labelled(node, this.indexValue(collection, key));
  }

  private splat(node: AstNode, scope: EvalScope): Value {
    const [sourceNode, eachNode] = node.children;
    if (!sourceNode || !eachNode) return this.unknown(node);
    const source = this.eval(sourceNode, scope);
    if (source instanceof Unevaluated) return this.unknown(node);
    const items = Array.isArray(source) ? source : source === null ? [] : [source];
    return items.map((item) => this.eval(eachNode, { ...scope, splat: { item } }));
  }

  private conditional(node: AstNode, scope: EvalScope): Value {
    const [conditionNode, whenTrue, whenFalse] = node.children;
    if (!conditionNode || !whenTrue || !whenFalse) return this.unknown(node);
    const condition = this.eval(conditionNode, scope);
    if (isUnknownValue(condition)) {
      // Both branches still run so that their references are recorded.
      this.eval(whenTrue, scope);
      this.eval(whenFalse, scope);
      return this.unknown(node);
    }
    return this.eval(toBool(condition) ? whenTrue : whenFalse, scope);
  }

  private unary(node: AstNode, scope: EvalScope): Value {
    const operand = node.children[0];
    if (!operand) return this.unknown(node);
    const v = this.eval(operand, scope);
    if (isUnknownValue(v)) return this.unknown(node);
    const op = metaString(node, 'operator');
    if (op === 'logicalNot') return !toBool(v);
    if (op === 'negate') return -toNum(v);
    return this.unknown(node);
  }

  private binary(node: AstNode, scope: EvalScope): Value {
    const [lhsNode, rhsNode] = node.children;
    if (!lhsNode || !rhsNode) return this.unknown(node);
    const op = metaString(node, 'operator');
    const lhs = this.eval(lhsNode, scope);
    const rhs = this.eval(rhsNode, scope);
    if (op === 'logicalAnd' || op === 'logicalOr') {
      const decisive = op === 'logicalOr';
      const l = isUnknownValue(lhs) ? undefined : toBool(lhs);
      const r = isUnknownValue(rhs) ? undefined : toBool(rhs);
      if (l === decisive || r === decisive) return decisive;
      return l === undefined || r === undefined ? this.unknown(node) : !decisive;
    }
    if (op === 'equal' || op === 'notEqual') {
      const eq = valuesEqual(lhs, rhs);
      if (eq === undefined) return this.unknown(node);
      return op === 'equal' ? eq : !eq;
    }
    if (isUnknownValue(lhs) || isUnknownValue(rhs)) return this.unknown(node);
    const a = toNum(lhs);
    const b = toNum(rhs);
    switch (op) {
      case 'add':
        return a + b;
      case 'subtract':
        return a - b;
      case 'multiply':
        return a * b;
      case 'divide':
        if (b === 0) throw new HclEvalError('division by zero');
        return a / b;
      case 'modulo':
        if (b === 0) throw new HclEvalError('modulo by zero');
        return a % b;
      case 'lessThan':
        return a < b;
      case 'lessThanOrEqual':
        return a <= b;
      case 'greaterThan':
        return a > b;
      case 'greaterThanOrEqual':
        return a >= b;
      default:
        return this.unknown(node);
    }
  }

  private call(node: AstNode, scope: EvalScope): Value {
    const name = metaString(node, 'name') ?? '';
    if (name === 'try') return this.tryCall(node, scope);
    if (name === 'can') return this.canCall(node, scope);
    const args = node.children.map((child) => this.eval(child, scope));
    if (metaBool(node, 'expandedFinalArgument')) {
      const last = args.pop();
      if (last === undefined || isUnknownValue(last)) return this.unknown(node);
      args.push(...toList(last));
    }
    const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!fn || args.some(isUnknownValue)) return this.unknown(node);
    return this.labelled(node, callFunction(fn, args, scope.env.functions));
  }

  /** try() returns its first argument that evaluates without error; an unknown one decides it. */
  private tryCall(node: AstNode, scope: EvalScope): Value {
    for (const child of node.children) {
      try {
        const v = this.eval(child, scope);
        return isUnknownValue(v) ? this.unknown(node) : v;
      } catch (err) {
        if (!(err instanceof HclEvalError)) throw err;
      }
    }
    throw new HclEvalError('no argument of try() evaluated without error');
  }

  private canCall(node: AstNode, scope: EvalScope): Value {
    const child = node.children[0];
    if (!child) return this.unknown(node);
    try {
      const v = this.eval(child, scope);
      return isUnknownValue(v) ? this.unknown(node) : true;
    } catch (err) {
      if (!(err instanceof HclEvalError)) throw err;
      return false;
    }
  }

  private forExpression(node: AstNode, scope: EvalScope): Value {
    const keyVar = metaString(node, 'keyVar') ?? '';
    const valueVar = metaString(node, 'valVar') ?? '';
    const hasKey = (metaString(node, 'keyExpression') ?? '') !== '';
    const hasCondition = (metaString(node, 'conditionalExpression') ?? '') !== '';
    const grouped = metaBool(node, 'groupedValue');
    const [collectionNode, ...rest] = node.children;
    const keyNode = hasKey ? rest.shift() : undefined;
    const valueNode = rest.shift();
    const conditionNode = hasCondition ? rest.shift() : undefined;
    if (!collectionNode || !valueNode || valueVar === '') return this.unknown(node);
    const collection = this.eval(collectionNode, scope);
    if (isUnknownValue(collection)) return this.unknown(node);
    const list: Value[] = [];
    const map = new Map<string, Value>();
    const groups = new Map<string, Value[]>();
    let unknown = false;
    for (const [k, v] of iterationPairs(collection)) {
      const inner = withNames(
        scope,
        keyVar
          ? [
              [keyVar, k],
              [valueVar, v],
            ]
          : [[valueVar, v]],
      );
      if (conditionNode) {
        const keep = this.eval(conditionNode, inner);
        if (isUnknownValue(keep)) {
          unknown = true;
          continue;
        }
        if (!toBool(keep)) continue;
      }
      const value = this.eval(valueNode, inner);
      if (!keyNode) {
        list.push(value);
        continue;
      }
      const key = this.eval(keyNode, inner);
      if (isUnknownValue(key)) {
        unknown = true;
        continue;
      }
      const keyText = toStr(key);
      if (grouped) groups.set(keyText, [...(groups.get(keyText) ?? []), value]);
      else if (map.has(keyText)) throw new HclEvalError(`duplicate key "${keyText}" in for expression`);
      else map.set(keyText, value);
    }
    if (unknown) return this.unknown(node);
    if (!keyNode) return list;
    return objectFrom(grouped ? groups : map);
  }
}

/** Evaluates a compiled expression; a Terraform evaluation error makes the value unknown. */
export function evaluateCompiled(
  compiled: CompiledExpression,
  scope: EvalScope,
  tracker: Tracker,
  placeholder: string,
): Value {
  try {
    return new Evaluator(compiled, tracker).eval(compiled.node, scope);
  } catch (err) {
    if (err instanceof HclEvalError) return new Unevaluated(placeholder);
    throw err;
  }
}

/** Evaluates one hcl2json string (a template or a `${…}` expression). */
export function evaluateString(text: string, scope: EvalScope, tracker: Tracker): Value {
  const compiled = scope.env.expressions.lookup(text);
  if (!compiled) return new Unevaluated(text);
  return evaluateCompiled(compiled, scope, tracker, text);
}
