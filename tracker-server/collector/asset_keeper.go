package collector

import (
	"container/list"
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loupe-dev/loupe/core/asset"
)

// How long a fetch result stands in for a new fetch. Bytes rarely change
// under one URL within a day; a failure may be passing, so it is retried
// sooner.
const (
	keepFetched = 24 * time.Hour
	keepFailure = 5 * time.Minute
)

// urlResult is what a URL gave: a kept asset or a missing reason.
type urlResult struct {
	sha256, typ string
	size        int64
	missing     string
	expires     time.Time
}

// assetKeeper fetches and keeps page assets. Ingest hands it each batch's
// events without waiting (observe); a background extractor finds their
// URLs and workers fetch them, filling a bounded URL → result cache, so
// that by seal time most of a session's assets are at hand. The seal asks
// for each URL (resolve), fetching what the cache lacks.
type assetKeeper struct {
	cfg    AssetConfig
	local  *localAssets
	log    *slog.Logger
	stats  *counters
	now    func() time.Time
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	policies map[string]sitePolicy
	clients  map[string]*assetClient // by site

	batches chan observed
	queued  atomic.Int64 // bytes of events waiting in batches
	fetches chan fetchJob

	mu       sync.Mutex
	cache    map[string]*list.Element // site + " " + url → entry in order
	order    *list.List               // least recently used at the back
	inflight map[string]chan struct{}
	pages    map[string]string // session → last page href, for relative URLs at ingest
	uploaded map[string]bool   // digests the store is known to hold
}

type cacheEntry struct {
	key string
	res urlResult
}

type observed struct {
	site, session string
	events        []json.RawMessage
	size          int64
}

type fetchJob struct {
	site, url string
	depth     int
}

// Bounds of the background queues and maps. A full queue drops prefetch
// work, never data: the seal fetches whatever is still missing.
const (
	observeQueue = 256
	observeBytes = 64 << 20 // batches can be 8 MiB each: bound the bytes too
	fetchQueue   = 4096
	maxPages     = 10_000
	maxUploaded  = 100_000
)

func newAssetKeeper(cfg Config, stats *counters) *assetKeeper {
	ctx, cancel := context.WithCancel(context.Background())
	k := &assetKeeper{
		cfg: cfg.Assets, local: &localAssets{dir: cfg.DataDir + "/assets"}, log: cfg.Logger,
		stats: stats, now: cfg.Now, ctx: ctx, cancel: cancel,
		policies: map[string]sitePolicy{}, clients: map[string]*assetClient{},
		batches: make(chan observed, observeQueue), fetches: make(chan fetchJob, fetchQueue),
		cache: map[string]*list.Element{}, order: list.New(), inflight: map[string]chan struct{}{},
		pages: map[string]string{}, uploaded: map[string]bool{},
	}
	for site, origins := range cfg.Sites {
		var assetOrigins []string
		if ao, ok := cfg.AssetOrigins[site]; ok {
			assetOrigins = append([]string{}, ao...)
		}
		p := policyFor(origins, assetOrigins)
		k.policies[site] = p
		d := newGuardedDialer(p.local, k.cfg.ConnectTimeout)
		if cfg.assetResolve != nil {
			d.resolve = cfg.assetResolve
		}
		if cfg.assetDial != nil {
			d.dial = cfg.assetDial
		}
		k.clients[site] = newAssetClient(d, k.cfg, p.allowed)
	}
	if !k.cfg.Disabled {
		k.wg.Add(1 + k.cfg.Workers)
		go k.extractLoop()
		for i := 0; i < k.cfg.Workers; i++ {
			go k.fetchLoop()
		}
	}
	return k
}

// close stops the background work; a seal in progress still completes.
func (k *assetKeeper) close() {
	k.cancel()
	k.wg.Wait()
}

// observe queues a stored batch for prefetching. It never blocks ingest.
func (k *assetKeeper) observe(site, session string, events []json.RawMessage) {
	if k.cfg.Disabled {
		return
	}
	var size int64
	for _, ev := range events {
		size += int64(len(ev))
	}
	if k.queued.Add(size) > observeBytes {
		k.queued.Add(-size)
		return // busy: the seal will fetch what this batch names
	}
	select {
	case k.batches <- observed{site, session, events, size}:
	default:
		k.queued.Add(-size)
	}
}

func (k *assetKeeper) extractLoop() {
	defer k.wg.Done()
	for {
		select {
		case <-k.ctx.Done():
			return
		case b := <-k.batches:
			k.queued.Add(-b.size)
			k.extractBatch(b)
		}
	}
}

// extractBatch finds a batch's URLs with an extractor that knows the
// session's page so far. Nodes from earlier batches are unknown to it, so
// an attribute change on one is missed here; the seal reads the whole
// session in order and finds it.
func (k *assetKeeper) extractBatch(b observed) {
	x := asset.NewExtractor()
	k.mu.Lock()
	x.SetPage(k.pages[b.session])
	k.mu.Unlock()
	var refs []asset.Ref
	for _, ev := range b.events {
		refs = append(refs, x.AddRaw(ev)...)
	}
	k.mu.Lock()
	if len(k.pages) >= maxPages {
		clear(k.pages) // bounded; a lost page only costs relative URLs a prefetch
	}
	k.pages[b.session] = x.Page()
	k.mu.Unlock()
	for _, r := range refs {
		k.enqueue(fetchJob{site: b.site, url: r.URL})
	}
}

// enqueue queues a prefetch unless the result is known or being fetched.
func (k *assetKeeper) enqueue(j fetchJob) {
	if _, ok := k.cached(j.site, j.url); ok {
		return
	}
	k.mu.Lock()
	_, busy := k.inflight[j.site+" "+j.url]
	k.mu.Unlock()
	if busy {
		return
	}
	select {
	case k.fetches <- j:
	default:
	}
}

func (k *assetKeeper) fetchLoop() {
	defer k.wg.Done()
	for {
		select {
		case <-k.ctx.Done():
			return
		case j := <-k.fetches:
			res := k.resolve(k.ctx, j.site, j.url)
			if res.typ == "text/css" && j.depth < k.cfg.MaxCSSDepth {
				if css, err := k.local.read(res.sha256); err == nil {
					for _, r := range asset.CSSRefs(string(css), j.url) {
						k.enqueue(fetchJob{site: j.site, url: r.URL, depth: j.depth + 1})
					}
				}
			}
		}
	}
}

// cached returns a live cache entry whose bytes are still kept.
func (k *assetKeeper) cached(site, u string) (urlResult, bool) {
	key := site + " " + u
	k.mu.Lock()
	el, ok := k.cache[key]
	if !ok {
		k.mu.Unlock()
		return urlResult{}, false
	}
	e := el.Value.(*cacheEntry)
	if k.now().After(e.res.expires) {
		k.order.Remove(el)
		delete(k.cache, key)
		k.mu.Unlock()
		return urlResult{}, false
	}
	k.order.MoveToFront(el)
	res := e.res
	k.mu.Unlock()
	if res.sha256 != "" && !k.local.has(res.sha256) {
		return urlResult{}, false // the folder was cleaned: fetch again
	}
	return res, true
}

func (k *assetKeeper) remember(site, u string, res urlResult) {
	key := site + " " + u
	k.mu.Lock()
	defer k.mu.Unlock()
	if el, ok := k.cache[key]; ok {
		el.Value.(*cacheEntry).res = res
		k.order.MoveToFront(el)
		return
	}
	k.cache[key] = k.order.PushFront(&cacheEntry{key: key, res: res})
	for k.order.Len() > k.cfg.CacheEntries {
		old := k.order.Back()
		k.order.Remove(old)
		delete(k.cache, old.Value.(*cacheEntry).key)
	}
}

// resolve returns what u gives for site: from the cache, by waiting for a
// fetch already under way, or by fetching it now. A fetch is shared by
// everyone asking for the same URL meanwhile.
func (k *assetKeeper) resolve(ctx context.Context, site, u string) urlResult {
	for {
		if res, ok := k.cached(site, u); ok {
			return res
		}
		key := site + " " + u
		k.mu.Lock()
		wait, busy := k.inflight[key]
		if !busy {
			wait = make(chan struct{})
			k.inflight[key] = wait
		}
		k.mu.Unlock()
		if busy {
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return urlResult{missing: "timeout"}
			}
		}
		res := k.fetchNow(ctx, site, u)
		if ctx.Err() == nil || res.sha256 != "" {
			// A result cut short by the caller's deadline says nothing
			// about the URL; do not let it stand in for a fetch.
			k.remember(site, u, res)
		}
		k.mu.Lock()
		delete(k.inflight, key)
		k.mu.Unlock()
		close(wait)
		return res
	}
}

// fetchNow fetches u under site's policy and keeps the bytes locally.
func (k *assetKeeper) fetchNow(ctx context.Context, site, u string) urlResult {
	now := k.now()
	fail := func(reason string) urlResult {
		k.stats.assetsFailed.Add(1)
		k.log.Debug("asset not kept", "site", site, "url", u, "reason", reason)
		return urlResult{missing: reason, expires: now.Add(keepFailure)}
	}
	client, ok := k.clients[site]
	if !ok {
		return fail("unknown site")
	}
	parsed, err := url.Parse(u)
	if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") {
		return fail("bad url")
	}
	if !k.policies[site].allowed(parsed) {
		return fail("origin not allowed")
	}
	got := client.fetch(ctx, u)
	if got.missing != "" {
		return fail(got.missing)
	}
	sum, _, err := k.local.put(got.body)
	if err != nil {
		k.log.Warn("keep asset", "url", u, "err", err)
		return fail("not kept: disk error")
	}
	k.stats.assetsFetched.Add(1)
	return urlResult{sha256: sum, typ: got.typ, size: int64(len(got.body)), expires: now.Add(keepFetched)}
}
