'use client';

import { DndContext, KeyboardSensor, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { ATTRIBUTE_LABELS, type IdentityAttribute } from '@/lib/identification/attribute-names';

export interface EditableRule {
  /** Stable id for drag and drop and React keys. */
  id: string;
  attributes: IdentityAttribute[];
  enabled: boolean;
  builtin: boolean;
}

const BUTTON = 'rounded-tremor-small border border-tremor-border px-2 py-0.5 text-tremor-label text-tremor-content-strong hover:bg-tremor-background-muted disabled:opacity-40';

/** One finding type's rules in the order they are tried: drag a row, or use its Up and Down buttons. */
export function IdentificationRuleList({ label, rules, onChange, disabled }: { label: string; rules: EditableRule[]; onChange: (rules: EditableRule[]) => void; disabled: boolean }) {
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor));

  function move(from: number, to: number) {
    if (to < 0 || to >= rules.length || from === to) return;
    const next = [...rules];
    const [moved] = next.splice(from, 1);
    if (moved) next.splice(to, 0, moved);
    onChange(next);
  }

  function dragEnd(event: DragEndEvent) {
    if (!event.over) return;
    move(
      rules.findIndex((rule) => rule.id === event.active.id),
      rules.findIndex((rule) => rule.id === event.over?.id),
    );
  }

  return (
    // A fixed id keeps the accessibility attributes dnd-kit renders equal on the server and the client.
    <DndContext id={`rules-${label}`} sensors={sensors} onDragEnd={dragEnd}>
      <ol className="flex flex-col gap-1" aria-label={label}>
        {rules.map((rule, index) => (
          <RuleRow
            key={rule.id}
            rule={rule}
            position={index + 1}
            disabled={disabled}
            first={index === 0}
            last={index === rules.length - 1}
            onUp={() => move(index, index - 1)}
            onDown={() => move(index, index + 1)}
            onToggle={() => onChange(rules.map((other) => (other.id === rule.id ? { ...other, enabled: !other.enabled } : other)))}
            onDelete={() => onChange(rules.filter((other) => other.id !== rule.id))}
          />
        ))}
      </ol>
    </DndContext>
  );
}

function RuleRow(props: {
  rule: EditableRule;
  position: number;
  disabled: boolean;
  first: boolean;
  last: boolean;
  onUp: () => void;
  onDown: () => void;
  onToggle: () => void;
  onDelete: () => void;
}) {
  const { rule, position, disabled } = props;
  const drag = useDraggable({ id: rule.id, disabled });
  const drop = useDroppable({ id: rule.id });
  const name = rule.attributes.map((attribute) => ATTRIBUTE_LABELS[attribute]).join(', ');
  const style = drag.transform ? { transform: `translate3d(0, ${drag.transform.y}px, 0)` } : undefined;

  return (
    <li
      ref={(node) => {
        drag.setNodeRef(node);
        drop.setNodeRef(node);
      }}
      style={style}
      className={`flex items-center gap-2 rounded-tremor-small border px-2 py-1 text-tremor-default ${drop.isOver ? 'border-tremor-brand' : 'border-tremor-border'} ${rule.enabled ? 'bg-white' : 'bg-tremor-background-muted text-tremor-content-subtle'}`}
    >
      <span {...drag.listeners} {...drag.attributes} aria-label={`Drag rule ${position}`} className="cursor-grab select-none px-1 text-tremor-content-subtle">
        ⠿
      </span>
      <span className="w-6 text-right tabular-nums text-tremor-content">{position}.</span>
      <span className="flex-1">
        [{name}]{rule.builtin ? '' : ' (custom)'}
      </span>
      <button type="button" className={BUTTON} disabled={disabled || props.first} onClick={props.onUp} aria-label={`Move rule [${name}] up`}>
        Up
      </button>
      <button type="button" className={BUTTON} disabled={disabled || props.last} onClick={props.onDown} aria-label={`Move rule [${name}] down`}>
        Down
      </button>
      <label className="flex items-center gap-1 text-tremor-label">
        <input type="checkbox" checked={rule.enabled} disabled={disabled} onChange={props.onToggle} />
        Enabled
      </label>
      {rule.builtin ? null : (
        <button type="button" className={BUTTON} disabled={disabled} onClick={props.onDelete} aria-label={`Delete rule [${name}]`}>
          Delete
        </button>
      )}
    </li>
  );
}
