package collector

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// refusedError is a connection the asset fetcher would not open because
// of where it leads. Its reason goes into the manifest as is.
type refusedError struct{ reason string }

func (e *refusedError) Error() string { return e.reason }

// metadataAddrs are cloud instance metadata services: never fetched, not
// even for a local site, because they hand out credentials.
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"),
	netip.MustParseAddr("fd00:ec2::254"),
}

// Address ranges a public site's assets may not lead to, beyond what
// netip.Addr's predicates name.
var (
	cgnat      = netip.MustParsePrefix("100.64.0.0/10")
	thisNet    = netip.MustParsePrefix("0.0.0.0/8")
	ietf       = netip.MustParsePrefix("192.0.0.0/24")
	benchmark  = netip.MustParsePrefix("198.18.0.0/15")
	reserved   = netip.MustParsePrefix("240.0.0.0/4")
	nat64      = netip.MustParsePrefix("64:ff9b::/96")
	ipv6Legacy = netip.MustParsePrefix("::/96") // IPv4-compatible, deprecated
)

// refusedAddr says why the fetcher may not connect to a, or "" when it
// may. A local site (one served from loopback or private addresses, such
// as the demo) may reach loopback, private and CGNAT addresses; nothing may
// reach link-local (which holds the metadata service), multicast,
// unspecified or reserved ones.
func refusedAddr(a netip.Addr, localSite bool) string {
	a = a.Unmap()
	if nat64.Contains(a) || (a.Is6() && ipv6Legacy.Contains(a) && !a.IsUnspecified() && !a.IsLoopback()) {
		// An IPv4 address inside IPv6: judge the IPv4 one.
		b := a.As16()
		return refusedAddr(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), localSite)
	}
	for _, m := range metadataAddrs {
		if a == m {
			return "refused: metadata address"
		}
	}
	switch {
	case !a.IsValid():
		return "refused: no address"
	case a.IsUnspecified() || thisNet.Contains(a):
		return "refused: unspecified address"
	case a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast():
		return "refused: link-local address"
	case a.IsMulticast() || a.IsInterfaceLocalMulticast():
		return "refused: multicast address"
	case a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) || reserved.Contains(a) || ietf.Contains(a) || benchmark.Contains(a):
		return "refused: reserved address"
	case localSite:
		return ""
	case a.IsLoopback():
		return "refused: loopback address"
	case a.IsPrivate():
		return "refused: private address"
	case cgnat.Contains(a):
		return "refused: shared (CGNAT) address"
	}
	return ""
}

// guardedDialer connects only to addresses refusedAddr allows. It resolves
// names itself and dials the checked IP, so the address checked is the
// address used (a second DNS answer cannot differ, as in DNS rebinding);
// every redirect hop dials through it again. The Control hook checks the
// socket's address once more just before connecting.
type guardedDialer struct {
	localSite bool
	// resolve and dial are net's, replaced in tests to make a name resolve
	// somewhere or to stand a loopback server in for a public one.
	resolve func(ctx context.Context, host string) ([]netip.Addr, error)
	dial    func(ctx context.Context, network, addr string) (net.Conn, error)
}

func newGuardedDialer(localSite bool, connectTimeout time.Duration) *guardedDialer {
	d := &guardedDialer{localSite: localSite}
	nd := &net.Dialer{
		Timeout: connectTimeout,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return &refusedError{"refused: unparsable address"}
			}
			if reason := refusedAddr(ap.Addr(), localSite); reason != "" {
				return &refusedError{reason}
			}
			return nil
		},
	}
	d.dial = nd.DialContext
	d.resolve = func(ctx context.Context, host string) ([]netip.Addr, error) {
		return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}
	return d
}

// DialContext resolves addr's host, drops refused addresses and dials the
// first allowed one that answers.
func (d *guardedDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{ip}
	} else if addrs, err = d.resolve(ctx, host); err != nil {
		return nil, fmt.Errorf("resolve %s: %w", host, err)
	}
	var refused error
	var lastErr error
	for _, a := range addrs {
		if reason := refusedAddr(a, d.localSite); reason != "" {
			refused = &refusedError{reason}
			continue
		}
		conn, err := d.dial(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		lastErr = err
	}
	switch {
	case lastErr != nil:
		return nil, lastErr
	case refused != nil:
		return nil, refused
	}
	return nil, errors.New("no address")
}
