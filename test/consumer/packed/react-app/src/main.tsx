// A React 19 app as a team would write it: the wrapper from @semfilter/elements/react, typed event
// props, strict TypeScript. The model is not served here, so semantic mode has to say so.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { Item } from '@semfilter/core';
import { SemfilterDebugger } from '@semfilter/elements/react';

const items: Item[] = [
  { id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' },
  { id: 'tee', name: 'White tee', style: 'Smart_Casual', occasion: 'work', mood: 'calm' },
];
// Stable objects: a new request on every render would be a new run.
const request = { style: 'smart casual', occasion: 'work', mood: 'calm' };

function Wardrobe() {
  const [passRate, setPassRate] = useState<number | null>(null);
  const [semantic, setSemantic] = useState(true);
  return (
    <main>
      <h1>Wardrobe</h1>
      <p id="status">{passRate === null ? 'no report yet' : `pass rate ${passRate}, semantic ${semantic}`}</p>
      <SemfilterDebugger
        items={items}
        request={request}
        semantic={semantic}
        onSemfilterReport={(e) => setPassRate(e.detail.filter_pass_rate)}
        onSemfilterToggle={(e) => setSemantic(e.detail.semantic)}
      />
    </main>
  );
}

createRoot(document.querySelector('#root')!).render(<StrictMode><Wardrobe /></StrictMode>);
