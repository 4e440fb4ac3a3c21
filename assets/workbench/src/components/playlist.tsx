// The presenter's playlists: sessions or moments, each with a title and a
// caption, saved in the workspace so a talk survives a reload and a
// restart. "Present" plays one in presenter mode; "Download as file"
// writes it as one HTML file that runs from a USB stick.
import { useEffect, useState } from 'preact/hooks';
import { Playlists } from '../api';
import type { Playlist, PlaylistItem } from '../api';
import { clock } from '../format';
import { navigate } from '../router';
import { ErrorNotice } from './notice';
import { shareFile } from './share';

/** The presenter-mode address of a saved playlist's item. */
export function playlistLink(name: string, index: number, item: PlaylistItem): string {
  return `#/sessions/${encodeURIComponent(item.session)}?present=1&list=${encodeURIComponent(name)}&item=${index}` + (item.from_ms ? `&t=${item.from_ms}` : '');
}

const MOMENT_MS = 30_000;

export function PlaylistButton({ id, now, total }: { id: string; now: number; total: number }) {
  const [open, setOpen] = useState(false);
  const [names, setNames] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [list, setList] = useState<Playlist | null>(null);
  const [title, setTitle] = useState('');
  const [caption, setCaption] = useState('');
  const [moment, setMoment] = useState(false);
  const [done, setDone] = useState('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!open) return;
    Playlists.list().then((n) => { setNames(n ?? []); if (!name && n?.length) setName(n[0]); }, setError);
  }, [open]);
  useEffect(() => {
    if (!name.trim() || !names.includes(name.trim())) { setList(null); return; }
    Playlists.get(name.trim()).then(setList, setError);
  }, [name, names]);

  const save = (items: PlaylistItem[]) => {
    setError(null);
    return Playlists.save(name.trim(), items).then((p) => {
      setList(p);
      if (!names.includes(p.name)) setNames([p.name, ...names]);
    }).catch((e) => { setError(e); throw e; });
  };
  const add = () => {
    const item: PlaylistItem = { session: id, from_ms: 0, to_ms: 0, title: title.trim(), caption: caption.trim() };
    if (moment) { item.from_ms = Math.round(now); item.to_ms = Math.round(Math.min(total, now + MOMENT_MS)); }
    if (moment && item.to_ms <= item.from_ms) { setError(new Error('The moment ends after the session.')); return; }
    save([...(list?.items ?? []), item]).then(() => { setTitle(''); setCaption(''); setDone('Added'); }, () => {});
  };
  const items = list?.items ?? [];
  // A saved playlist's items must be loaded before one is added: adding
  // saves the whole list, and would otherwise replace the playlist with
  // the new item alone.
  const loading = names.includes(name.trim()) && list?.name !== name.trim();
  return (
    <div class="playlist-action">
      <button class="btn" onClick={() => setOpen(!open)} aria-expanded={open} data-playlist title="Playlists for presenting: sessions or moments with a title and a caption">Playlist…</button>
      {open && (
        <div class="share-pop" role="dialog" aria-label="Playlists" data-playlist-dialog>
          <input class="input" list="playlist-names" placeholder="Playlist name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} aria-label="Playlist" data-playlist-name />
          <datalist id="playlist-names">{names.map((n) => <option key={n} value={n} />)}</datalist>
          <input class="input" placeholder="Title" value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} aria-label="Title" data-playlist-title />
          <input class="input" placeholder="Caption" value={caption} onInput={(e) => setCaption((e.target as HTMLInputElement).value)} aria-label="Caption" data-playlist-caption />
          <label class="check"><input type="checkbox" checked={moment} onChange={(e) => setMoment((e.target as HTMLInputElement).checked)} data-playlist-moment /> Only {clock(now)}–{clock(Math.min(total, now + MOMENT_MS))}</label>
          <button class="btn btn-primary" disabled={!name.trim() || loading} onClick={add} data-playlist-add>Add to playlist</button>
          {items.length ? (
            <ol class="playlist-items" data-playlist-items>
              {items.map((it, i) => (
                <li key={i}>
                  <span class="mono">{i + 1}.</span>
                  <span style={{ flex: 1 }}>{it.title || it.session}{it.to_ms ? ` (${clock(it.from_ms)}–${clock(it.to_ms)})` : ''}</span>
                  <button class="btn btn-ghost btn-small" disabled={i === 0} aria-label="Move up" onClick={() => { const n = items.slice(); [n[i - 1], n[i]] = [n[i], n[i - 1]]; save(n).catch(() => {}); }}>↑</button>
                  <button class="btn btn-ghost btn-small" aria-label="Remove" onClick={() => save(items.filter((_, k) => k !== i)).catch(() => {})}>✕</button>
                </li>
              ))}
            </ol>
          ) : null}
          {items.length ? (
            <div class="row-actions">
              <button class="btn" onClick={() => navigate(playlistLink(list!.name, 0, items[0]))} data-playlist-present>▶ Present</button>
              <button class="btn" onClick={() => { setDone(''); shareFile({ playlist: list!.name }).then(setDone, setError); }} data-playlist-download>Download as file</button>
            </div>
          ) : null}
          {done && <div class="muted small" data-playlist-done>{done}</div>}
          {error ? <ErrorNotice error={error} /> : null}
        </div>
      )}
    </div>
  );
}
