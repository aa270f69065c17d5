import { embeddedPackDefinitions } from './packs.js';
import { assemblePolicies, type LoadOptions, type PolicySet, policySources } from './policy-set.js';

/** Raised inside the fast path when it cannot go on: the full loader takes over. */
class NeedsFullLoader extends Error {}

/**
 * The policy set for a CLI command. When only built-in packs are asked for and every pack file is
 * the one embedded in the bundle (validated, actions included, at build time), the set is assembled
 * from the embedded definitions without loading the YAML parser or the schema library, which are a
 * good part of start-up. Anything else — user policy files, a pack file changed on disk, any mistake
 * to report with its line and column — goes to the full loader (load.ts), which gives the same set
 * or the same error.
 */
export async function loadPolicySet(options: LoadOptions = {}): Promise<PolicySet> {
  return fromEmbeddedPacks(options) ?? (await import('./load.js')).loadPolicies(options);
}

function fromEmbeddedPacks(options: LoadOptions): PolicySet | undefined {
  if ((options.paths ?? []).length > 0 || options.builtIn === false) return undefined;
  try {
    return assemblePolicies(policySources(options), options, (source) => {
      const definitions = embeddedPackDefinitions(source.file);
      if (!definitions) throw new NeedsFullLoader();
      return {
        definitions,
        errorAt: () => new NeedsFullLoader(),
      };
    });
  } catch {
    // Errors are reported by the full loader, which knows where in the YAML they are.
    return undefined;
  }
}
