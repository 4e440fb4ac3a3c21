package derive_test

import (
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/derive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// A plain rrweb export: one page, a button clicked three times in a row
// with nothing happening.
func ExampleSession() {
	events, err := rrweb.Decode(strings.NewReader(`[
{"type":4,"data":{"href":"https://shop.example/cart?step=1","width":390,"height":844},"timestamp":1764195600000},
{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"tagName":"html","id":2,"attributes":{},"childNodes":[
  {"type":2,"tagName":"body","id":3,"attributes":{},"childNodes":[
    {"type":2,"tagName":"button","id":4,"attributes":{"id":"apply"},"childNodes":[{"type":3,"id":5,"textContent":"Apply"}]}]}]}]},
  "initialOffset":{"left":0,"top":0}},"timestamp":1764195600010},
{"type":3,"data":{"source":2,"type":2,"id":4,"x":50,"y":20},"timestamp":1764195601000},
{"type":3,"data":{"source":2,"type":2,"id":4,"x":52,"y":21},"timestamp":1764195601200},
{"type":3,"data":{"source":2,"type":2,"id":4,"x":51,"y":19},"timestamp":1764195601400},
{"type":3,"data":{"source":1,"positions":[{"x":60,"y":30,"id":4,"timeOffset":0}]},"timestamp":1764195604000}]`))
	if err != nil {
		panic(err)
	}
	f := derive.Session(archive.Header{Session: "cart-rage", Source: "rrweb-import"}, events, core.Default())
	s := f.Session
	fmt.Println(s.Pages, s.Device, s.Clicks, s.RageClicks, s.DeadClicks, s.Tags, s.Score)
	fmt.Println(f.Clicks[0].Selector, f.Clicks[0].Text)
	// Output:
	// [/cart] mobile 3 1 3 [dead_click rage_click] 6
	// #apply Apply
}
