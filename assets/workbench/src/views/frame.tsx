// One replay filling the page at a chosen moment, with no workbench
// around it: `loupe video` opens #/frame/{id} in a headless browser and
// steps it frame by frame through window.loupeFrame.seek(ms), taking a
// screenshot after each, so a video is the same whatever the machine's
// speed (no real-time capture).
import { useEffect, useRef, useState } from 'preact/hooks';
import { Replayer } from '@rrweb/replay';
import '@rrweb/replay/dist/style.css';
import './compare.css';
import { Player } from '../api';
import { prepareEvents } from '../replay';

/** What the page offers the video renderer. */
export interface FrameControl {
  /** Length of the replay in ms. */
  total: number;
  /** Shows the replay at ms and resolves once the frame is painted. */
  seek(ms: number): Promise<void>;
}

declare global {
  interface Window { loupeFrame?: FrameControl }
}

const painted = () => new Promise<void>((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok())));

export function FrameView({ id }: { id: string }) {
  const stage = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | string>('loading');
  useEffect(() => {
    let r: Replayer | null = null;
    Player.load(id).then((rep) => {
      const events = rep.events ?? [];
      if (events.length < 2) throw new Error('this session holds fewer than two recorded events');
      const el = stage.current!;
      r = new Replayer(prepareEvents(events as any[]) as any, {
        root: el, skipInactive: false, showWarning: false, showDebug: false, triggerFocus: false,
        mouseTail: false, insertStyleRules: [],
      });
      const rr = r;
      const fit = () => {
        const w = Number(rr.iframe.width) || 1280, h = Number(rr.iframe.height) || 800;
        const scale = Math.min(innerWidth / w, innerHeight / h);
        rr.wrapper.style.transform = `scale(${scale})`;
        rr.wrapper.style.left = `${(innerWidth - w * scale) / 2}px`;
        rr.wrapper.style.top = `${(innerHeight - h * scale) / 2}px`;
      };
      rr.on('resize', fit);
      const total = events[events.length - 1].timestamp - events[0].timestamp;
      window.loupeFrame = {
        total,
        async seek(ms: number) {
          rr.pause(Math.max(0, Math.min(total, ms)));
          fit();
          await painted();
        },
      };
      rr.pause(0);
      fit();
      setState('ready');
    }).catch((e) => setState(String(e?.message ?? e)));
    return () => r?.destroy();
  }, [id]);
  return (
    <div class="frame-page" data-frame-ready={state === 'ready' ? 'true' : undefined} data-frame-error={state !== 'ready' && state !== 'loading' ? state : undefined}>
      <div ref={stage} />
    </div>
  );
}
