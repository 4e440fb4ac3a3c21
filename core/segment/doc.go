package segment

// Syntax reference (also shown by the UI's segment builder):
//
//	expr      := term { "or" term }
//	term      := factor { "and" factor }
//	factor    := "not" factor | "(" expr ")" | condition | behaviour
//	condition := FIELD OP VALUE
//	behaviour := "visited" GLOB | "clicked" SELECTOR | "reached" STEP
//	           | "did" NAME [ OP COUNT ]
//
// Keywords and field names are case-insensitive. Values are bare words
// (mobile, rage_click, US, /checkout*) or double-quoted strings with Go
// escapes; keywords used as values must be quoted.
//
// Fields (aliases in brackets):
//
//	text      site, visitor, user [user_id], device, browser, os, country:
//	          = and != ignore ASCII case, ~ is "contains" (ignoring case)
//	pages     entry [entry_page], exit [exit_page]: = and != match a path
//	          glob (* any run of characters, ? one), ~ is "contains"
//	numbers   pageviews, clicks, rage_clicks, dead_clicks, error_clicks,
//	          errors [js_errors], failed_requests [failed], events,
//	          width [viewport, viewport_width], height [viewport_height],
//	          score [frustration]: = != > >= < <=
//	duration  duration: a number with a unit (500ms, 90s, 2m, 1.5h, 1d);
//	          a bare number is seconds
//	tags      tag [tags]: tag = x (has the tag), tag != x (has not)
//	traits    trait.NAME (identify traits): compared as text; a missing
//	          trait is ""
//	feedback  csat, nps: the session's lowest response of that kind
//	          (CSAT 1-5, NPS 0-10), compared as numbers; a session with no
//	          response of that kind matches no comparison (csat != 3
//	          included), so "not csat >= 4" also keeps sessions without one
//	          feedback [comment]: feedback = any (left a response),
//	          feedback = csat / feedback = nps (left one of that kind),
//	          != for "has not"; feedback ~ slow: a comment contains the
//	          text (ignoring case)
//
// Behaviours:
//
//	visited "/checkout*"        a pageview whose path matches the glob
//	clicked "button.buy"        a click whose element selector is, or ends
//	                            with, the given selector ("main > button.buy"
//	                            matches "button.buy"); with * or ? a glob
//	                            over the whole selector
//	did "signup"                a custom event by name (glob)
//	did "add_to_cart" >= 2      ... counted
//	reached "input:#email"      any fact matching a funnel step
//	                            (page:, click:, event:, input:)
//
// Precedence: not, then and, then or. Errors are *ParseError with the line
// and column of the offending token.
