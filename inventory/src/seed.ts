import type { Item } from './db.ts';

const NOUNS = [
  'lamp',
  'kettle',
  'chair',
  'teapot',
  'notebook',
  'backpack',
  'umbrella',
  'clock',
  'mug',
  'scarf',
];
const ADJECTIVES = [
  'red',
  'quiet',
  'small',
  'sturdy',
  'blue',
  'folding',
  'vintage',
  'bright',
  'green',
  'woollen',
];

/** Items 1..100, the same on every machine: ids the page and the tests can rely on. */
export const SEED_ITEMS: readonly Item[] = Array.from({ length: 100 }, (_, index) => {
  const id = index + 1;
  return {
    item_id: id,
    name: `${ADJECTIVES[index % 10]} ${NOUNS[Math.floor(index / 10)]}`,
    // Some items are out of stock, so the page shows a 0 now and then.
    stock: (id * 37) % 23,
  };
});
