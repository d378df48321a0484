import { useMemo } from 'react';

type Props = { items: { id: string; title: string }[] };

export function Carousel({ items }: Props) {
  const order = useMemo(() => [...items].sort(() => Math.random() - 0.5), [items]);
  const key = useMemo(() => `c-${Math.random().toString(36).slice(2)}`, []);
  return (
    <ul id={key}>
      {order.map((it) => (
        <li key={it.id} dangerouslySetInnerHTML={{ __html: it.title }} />
      ))}
    </ul>
  );
}

export function InviteCode({ onCreate }: { onCreate: (code: string) => void }) {
  const create = () => onCreate(Math.random().toString(36).substring(2, 10).toUpperCase());
  return <button onClick={create}>New invite</button>;
}
