import { useCatalog } from '../catalog';
import { nameOf } from '../map/matrix';

interface Props {
  platformId: string | undefined;
  toolId: string | undefined;
  onChange(next: { platformId: string | undefined; toolId: string | undefined }): void;
}

/** The two filters; each change searches at once. */
export function SearchFilters({ platformId, toolId, onChange }: Props) {
  const { state } = useCatalog();
  const platforms = state.data?.platforms ?? [];
  const tools = state.data?.paymentTools ?? [];
  const waiting = state.status !== 'ready';
  return (
    <form className="filters" onSubmit={(event) => event.preventDefault()}>
      <label>
        Platform
        <select
          value={platformId ?? ''}
          disabled={waiting}
          onChange={(event) => onChange({ platformId: event.target.value || undefined, toolId })}
        >
          <option value="">Any platform</option>
          {platforms.map((platform) => (
            <option key={platform.id} value={platform.id}>
              {nameOf(platform)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Buyers can pay with
        <select value={toolId ?? ''} disabled={waiting} onChange={(event) => onChange({ platformId, toolId: event.target.value || undefined })}>
          <option value="">Any tool</option>
          {tools.map((tool) => (
            <option key={tool.id} value={tool.id}>
              {nameOf(tool)}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
