import { test } from "node:test";
import assert from "node:assert/strict";
import { maskValue, privatize } from "../src/privacy";
import { keeper } from "../src/urls";

const keep = keeper();
const T = 1_733_300_000_000;

test("privatize strips URLs and scrubs text in every kind of event", () => {
  const cases: { name: string; ev: { type: number; data: unknown }; want: unknown }[] = [
    {
      name: "Meta href",
      ev: { type: 4, data: { href: "https://s.example/reset?reset_token=SECRET&utm_source=m", width: 1, height: 1 } },
      want: { href: "https://s.example/reset?utm_source=m", width: 1, height: 1 },
    },
    {
      name: "full snapshot: URL attributes, hidden and cleared inputs, textarea text",
      ev: {
        type: 2,
        data: {
          node: {
            type: 0,
            childNodes: [
              {
                type: 2,
                tagName: "body",
                attributes: {},
                childNodes: [
                  { type: 2, tagName: "a", attributes: { href: "https://s.example/x?token=SECRET#access_token=S2", class: "a?b" }, childNodes: [] },
                  { type: 2, tagName: "img", attributes: { src: "/i.png?sig=SECRET", srcset: "/i.png?sig=S 2x" }, childNodes: [] },
                  { type: 2, tagName: "form", attributes: { action: "/reset?token=SECRET" }, childNodes: [] },
                  { type: 2, tagName: "input", attributes: { type: "hidden", name: "csrf", value: "SECRET" }, childNodes: [] },
                  { type: 2, tagName: "input", attributes: { type: "text", value: "prefilled" }, childNodes: [] },
                  { type: 2, tagName: "input", attributes: { type: "submit", value: "Send" }, childNodes: [] },
                  { type: 2, tagName: "textarea", attributes: {}, childNodes: [{ type: 3, textContent: "my note" }] },
                ],
              },
            ],
          },
          initialOffset: { top: 0, left: 0 },
        },
      },
      want: {
        node: {
          type: 0,
          childNodes: [
            {
              type: 2,
              tagName: "body",
              attributes: {},
              childNodes: [
                { type: 2, tagName: "a", attributes: { href: "https://s.example/x", class: "a?b" }, childNodes: [] },
                { type: 2, tagName: "img", attributes: { src: "/i.png", srcset: "/i.png 2x" }, childNodes: [] },
                { type: 2, tagName: "form", attributes: { action: "/reset" }, childNodes: [] },
                { type: 2, tagName: "input", attributes: { type: "hidden", name: "csrf" }, childNodes: [] },
                { type: 2, tagName: "input", attributes: { type: "text", value: "*********" }, childNodes: [] },
                { type: 2, tagName: "input", attributes: { type: "submit", value: "Send" }, childNodes: [] },
                { type: 2, tagName: "textarea", attributes: {}, childNodes: [{ type: 3, textContent: "** ****" }] },
              ],
            },
          ],
        },
        initialOffset: { top: 0, left: 0 },
      },
    },
    {
      name: "mutation: added nodes and changed attributes",
      ev: {
        type: 3,
        data: {
          source: 0,
          texts: [],
          removes: [],
          adds: [{ parentId: 1, nextId: null, node: { type: 2, tagName: "a", attributes: { href: "/a?t=SECRET" }, childNodes: [] } }],
          attributes: [{ id: 5, attributes: { src: "/v.mp4?sig=SECRET", style: { color: "red" } } }],
        },
      },
      want: {
        source: 0,
        texts: [],
        removes: [],
        adds: [{ parentId: 1, nextId: null, node: { type: 2, tagName: "a", attributes: { href: "/a" }, childNodes: [] } }],
        attributes: [{ id: 5, attributes: { src: "/v.mp4", style: { color: "red" } } }],
      },
    },
    {
      name: "console plugin: payload scrubbed, trace stripped",
      ev: {
        type: 6,
        data: {
          plugin: "rrweb/console@1",
          payload: {
            level: "log",
            payload: ['{"ssn":"123-45-6789"}', '"mail a@b.example"', '"https://s.example/p?token=SECRET"'],
            trace: ["boom (https://s.example/p?reset_token=SECRET:3:4)"],
          },
        },
      },
      want: {
        plugin: "rrweb/console@1",
        payload: {
          level: "log",
          payload: ['{"ssn":"[ssn]"}', '"mail [email]"', '"https://s.example/p"'],
          trace: ["boom (https://s.example/p:3:4)"],
        },
      },
    },
    {
      name: "network plugin: request URLs stripped",
      ev: { type: 6, data: { plugin: "rrweb/network@1", payload: { requests: [{ name: "https://s.example/api?api_key=SECRET", status: 200 }] } } },
      want: { plugin: "rrweb/network@1", payload: { requests: [{ name: "https://s.example/api", status: 200 }] } },
    },
    {
      name: "loupe/error: message, stack and source",
      ev: {
        type: 5,
        data: {
          tag: "loupe/error",
          payload: {
            message: "Error: card 4111 1111 1111 1111 declined",
            source: "https://s.example/p?reset_token=SECRET",
            stack: "Error: card 4111 1111 1111 1111 declined\n    at https://s.example/p?reset_token=SECRET:9:1",
            line: 9,
            col: 1,
            kind: "error",
          },
        },
      },
      want: {
        tag: "loupe/error",
        payload: {
          message: "Error: card [card] declined",
          source: "https://s.example/p",
          stack: "Error: card [card] declined\n    at https://s.example/p:9:1",
          line: 9,
          col: 1,
          kind: "error",
        },
      },
    },
    {
      name: "other custom events are the site's own and pass unchanged",
      ev: { type: 5, data: { tag: "loupe/event", payload: { name: "signup", props: { email: "a@b.example" } } } },
      want: { tag: "loupe/event", payload: { name: "signup", props: { email: "a@b.example" } } },
    },
  ];
  for (const c of cases) {
    const out = privatize({ ...c.ev, timestamp: T }, keep);
    assert.deepEqual(out.data, c.want, c.name);
  }
});

test("maskValue: hidden values vanish, button captions stay, the rest is starred", () => {
  const el = (type: string) => ({ type }) as unknown as HTMLElement;
  assert.equal(maskValue("tok123", el("hidden")), "");
  assert.equal(maskValue("Send", el("submit")), "Send");
  assert.equal(maskValue("a b", el("text")), "***");
  assert.equal(maskValue("secret", el("password")), "******");
  assert.equal(maskValue("C:\\fakepath\\cv.pdf", el("file")), "******************");
  assert.equal(maskValue("x", null), "*");
});
