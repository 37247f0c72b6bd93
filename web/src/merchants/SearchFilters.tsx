import { useCatalog } from '../catalog';
import { nameOf } from '../map/matrix';

/** The longest name fragment the graph searches for (`merchants(nameContains:)`). */
export const NAME_MAX = 100;

interface Props {
  platformId: string | undefined;
  toolId: string | undefined;
  onChange(next: { platformId: string | undefined; toolId: string | undefined }): void;
  /** What is typed in the name box, searched for once typing pauses. */
  nameText: string;
  onNameText(text: string): void;
}

/** The filters: a change of platform or tool searches at once, the name once typing pauses. */
export function SearchFilters({ platformId, toolId, onChange, nameText, onNameText }: Props) {
  const { state } = useCatalog();
  const platforms = state.data?.platforms ?? [];
  const tools = state.data?.paymentTools ?? [];
  const waiting = state.status !== 'ready';
  return (
    <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
      <label>
        Name contains
        <input
          type="search"
          value={nameText}
          maxLength={NAME_MAX}
          placeholder="e.g. tea shop"
          autoComplete="off"
          enterKeyHint="search"
          onChange={(event) => onNameText(event.target.value)}
        />
      </label>
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
