import type { FormEvent } from 'react';
import { useId, useState } from 'react';

interface ItemFormProps {
  disabled: boolean;
  onRun: (id: string, q: string) => Promise<void>;
}

/** GET /items/{id}?q={q}. The id is sent as typed: "abc" gets the API's 400. */
export function ItemForm({ disabled, onRun }: ItemFormProps) {
  const [id, setId] = useState('5');
  const [q, setQ] = useState('somequery');
  const idInput = useId();
  const qInput = useId();
  const idHint = useId();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!disabled) void onRun(id, q);
  }

  return (
    <form className="card" onSubmit={submit}>
      <h2>Item</h2>
      <div className="field">
        <label htmlFor={idInput}>Item id</label>
        {/* Text, not type=number: the browser would refuse "abc", and the API's
            validation error is part of the demo. */}
        <input
          id={idInput}
          name="id"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          aria-describedby={idHint}
          data-testid="item-id"
          value={id}
          onChange={(event) => setId(event.target.value)}
        />
        <small id={idHint}>An integer; try “abc” to see the API reject it.</small>
      </div>
      <div className="field">
        <label htmlFor={qInput}>Query q (optional)</label>
        <input
          id={qInput}
          name="q"
          type="text"
          autoComplete="off"
          data-testid="item-q"
          value={q}
          onChange={(event) => setQ(event.target.value)}
        />
      </div>
      <button type="submit" data-testid="item-button" disabled={disabled}>
        GET /items/{'{id}'}
      </button>
    </form>
  );
}
