#!/usr/bin/python3
"""Trains the tiny MOSS model: a small llama-architecture decoder on the CPU.

Development tool only (neither the runtime nor `npm test` needs it). Run with Debian's python3 and python3-torch;
see tools/tiny-moss/README.md for the whole recipe. Input is written by `dist/tools/tiny-moss/build-data.js`:
`<data>/train.tokens.u16` (token ids), `<data>/train.mask.u8` (1 where the model is trained to produce the token:
inner thoughts, commands, answers and their end markers) and `<data>/train.starts.u32` (offset of every dialogue).
"""
import argparse
import json
import math
import os
import random
import signal
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_tables(head_dim, length, base):
    # llama.cpp's llama architecture (rope type "normal") rotates adjacent pairs (x0,x1),(x2,x3)…, with
    # theta_i = base^(-2i/head_dim). Rotating the same pairs here means no q/k permutation at export.
    inv = base ** (-torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim)
    angles = torch.arange(length, dtype=torch.float32)[:, None] * inv[None, :]
    return torch.cos(angles), torch.sin(angles)


def apply_rope(x, cos, sin):
    # x: [batch, heads, time, head_dim]
    x1 = x[..., 0::2]
    x2 = x[..., 1::2]
    c = cos[: x.shape[2]]
    s = sin[: x.shape[2]]
    out = torch.stack((x1 * c - x2 * s, x1 * s + x2 * c), dim=-1)
    return out.flatten(-2)


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, f = cfg['dim'], cfg['ffn']
        self.heads = cfg['heads']
        self.attn_norm = RMSNorm(d, cfg['eps'])
        self.wq = nn.Linear(d, d, bias=False)
        self.wk = nn.Linear(d, d, bias=False)
        self.wv = nn.Linear(d, d, bias=False)
        self.wo = nn.Linear(d, d, bias=False)
        self.ffn_norm = RMSNorm(d, cfg['eps'])
        self.w_gate = nn.Linear(d, f, bias=False)
        self.w_up = nn.Linear(d, f, bias=False)
        self.w_down = nn.Linear(f, d, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, d = x.shape
        hd = d // self.heads
        h = self.attn_norm(x)
        q = self.wq(h).view(b, t, self.heads, hd).transpose(1, 2)
        k = self.wk(h).view(b, t, self.heads, hd).transpose(1, 2)
        v = self.wv(h).view(b, t, self.heads, hd).transpose(1, 2)
        q = apply_rope(q, cos, sin)
        k = apply_rope(k, cos, sin)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hd)
        att = att.masked_fill(mask[:t, :t], float('-inf'))
        # Under --bf16 the scores and probabilities stay bfloat16 (the kernel sums in float32); a float32 softmax
        # measured twice as slow a step.
        y = F.softmax(att, dim=-1) @ v
        x = x + self.wo(y.transpose(1, 2).reshape(b, t, d))
        h = self.ffn_norm(x)
        return x + self.w_down(F.silu(self.w_gate(h)) * self.w_up(h))


class TinyLlama(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg['vocab'], cfg['dim'])
        self.blocks = nn.ModuleList([Block(cfg) for _ in range(cfg['layers'])])
        self.norm = RMSNorm(cfg['dim'], cfg['eps'])
        self.out = nn.Linear(cfg['dim'], cfg['vocab'], bias=False)
        cos, sin = rope_tables(cfg['dim'] // cfg['heads'], cfg['context'], cfg['rope_base'])
        self.register_buffer('cos', cos, persistent=False)
        self.register_buffer('sin', sin, persistent=False)
        mask = torch.triu(torch.ones(cfg['context'], cfg['context'], dtype=torch.bool), diagonal=1)
        self.register_buffer('mask', mask, persistent=False)
        self.apply(self._init)
        # Scaled init of the residual projections keeps early training stable in deeper stacks.
        for blk in self.blocks:
            nn.init.normal_(blk.wo.weight, std=0.02 / math.sqrt(2 * cfg['layers']))
            nn.init.normal_(blk.w_down.weight, std=0.02 / math.sqrt(2 * cfg['layers']))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)

    def forward(self, idx):
        x = self.embed(idx)
        for blk in self.blocks:
            x = blk(x, self.cos, self.sin, self.mask)
        return self.out(self.norm(x))

    def tensors(self):
        """Weights under llama.cpp's tensor names, torch shapes ([out, in] for matrices)."""
        named = [('token_embd.weight', self.embed.weight)]
        for i, blk in enumerate(self.blocks):
            p = f'blk.{i}.'
            named += [
                (p + 'attn_norm.weight', blk.attn_norm.weight),
                (p + 'attn_q.weight', blk.wq.weight),
                (p + 'attn_k.weight', blk.wk.weight),
                (p + 'attn_v.weight', blk.wv.weight),
                (p + 'attn_output.weight', blk.wo.weight),
                (p + 'ffn_norm.weight', blk.ffn_norm.weight),
                (p + 'ffn_gate.weight', blk.w_gate.weight),
                (p + 'ffn_up.weight', blk.w_up.weight),
                (p + 'ffn_down.weight', blk.w_down.weight),
            ]
        named += [('output_norm.weight', self.norm.weight), ('output.weight', self.out.weight)]
        return named


def load_data(data_dir, name):
    tokens = np.fromfile(os.path.join(data_dir, name + '.tokens.u16'), dtype='<u2').astype(np.int64)
    mask = np.fromfile(os.path.join(data_dir, name + '.mask.u8'), dtype=np.uint8)
    starts = np.fromfile(os.path.join(data_dir, name + '.starts.u32'), dtype='<u4').astype(np.int64)
    assert len(tokens) == len(mask), 'tokens and mask differ in length'
    return torch.from_numpy(tokens), torch.from_numpy(mask.astype(np.float32)), starts


def batch(tokens, mask, starts, rows, length, rng):
    """Rows of `length + 1` tokens, each starting at a dialogue start (dialogues are packed back to back)."""
    xs, ms = [], []
    limit = len(tokens) - length - 1
    for _ in range(rows):
        s = int(starts[rng.randrange(len(starts))])
        s = min(s, limit)
        xs.append(tokens[s: s + length + 1])
        ms.append(mask[s + 1: s + length + 1])
    return torch.stack(xs), torch.stack(ms)


def save_checkpoint(path, model, opt, step, tokens_seen, cfg):
    tmp = path + '.tmp'
    torch.save({'model': model.state_dict(), 'opt': opt.state_dict(), 'step': step, 'tokens_seen': tokens_seen,
                'config': cfg}, tmp)
    os.replace(tmp, path)


def dump_weights(model, out_prefix):
    """Writes `<prefix>.bin` (float32 little-endian, row-major, torch shapes) and `<prefix>.json` (spec)."""
    spec = {'config': model.cfg, 'tensors': []}
    offset = 0
    with open(out_prefix + '.bin', 'wb') as f:
        for name, t in model.tensors():
            a = t.detach().to(torch.float32).contiguous().numpy().astype('<f4')
            f.write(a.tobytes())
            spec['tensors'].append({'name': name, 'shape': list(a.shape), 'offset': offset})
            offset += a.nbytes
    with open(out_prefix + '.json', 'w') as f:
        json.dump(spec, f, indent=1)


@torch.no_grad()
def load_dump(model, prefix):
    """Copies a weight dump (dump_weights' layout, or import-gguf.js's from a GGUF) into the model."""
    with open(prefix + '.json') as f:
        spec = json.load(f)
    raw = np.fromfile(prefix + '.bin', dtype='<f4')
    by_name = {t['name']: t for t in spec['tensors']}
    for name, param in model.tensors():
        t = by_name[name]
        count = int(np.prod(t['shape']))
        start = t['offset'] // 4
        param.copy_(torch.from_numpy(raw[start: start + count].reshape(t['shape']).copy()))


@torch.no_grad()
def load_grown(model, prefix, old_layers):
    """Loads a dump of `old_layers` blocks into a deeper model without changing what it computes: the old blocks keep
    their order, spread evenly over the new depth, and each new block starts as the identity (its attention output and
    feed-forward down projections are zero), so training continues from the old model's function with more capacity."""
    new_layers = len(model.blocks)
    place = {round(i * (new_layers - 1) / max(1, old_layers - 1)): i for i in range(old_layers)}
    with open(prefix + '.json') as f:
        spec = json.load(f)
    raw = np.fromfile(prefix + '.bin', dtype='<f4')
    by_name = {t['name']: t for t in spec['tensors']}
    for name, param in model.tensors():
        if name.startswith('blk.'):
            index = int(name.split('.')[1])
            if index not in place:
                continue
            name = f'blk.{place[index]}.' + name.split('.', 2)[2]
        t = by_name[name]
        count = int(np.prod(t['shape']))
        start = t['offset'] // 4
        param.copy_(torch.from_numpy(raw[start: start + count].reshape(t['shape']).copy()))
    for index, blk in enumerate(model.blocks):
        if index not in place:
            blk.wo.weight.zero_()
            blk.w_down.weight.zero_()
    print(f'grown from {old_layers} to {new_layers} layers: old blocks at {sorted(place)}', flush=True)


@torch.no_grad()
def probe(model, args):
    """Greedy continuations and first-step log-probabilities, to compare with llama.cpp after export."""
    model.eval()
    with open(args.probe) as f:
        prompts = json.load(f)
    out = []
    for ids in prompts:
        seq = list(ids)
        first = None
        for _ in range(args.probe_tokens):
            logits = model(torch.tensor([seq[-model.cfg['context']:]]))[0, -1]
            if first is None:
                first = torch.log_softmax(logits.float(), -1).tolist()
            seq.append(int(torch.argmax(logits)))
        out.append({'generated': seq[len(ids):], 'logprobs': first})
    with open(args.probe_out, 'w') as f:
        json.dump(out, f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default='tools/tiny-moss/data', help='folder with train.* files (default %(default)s)')
    ap.add_argument('--out', default='tools/tiny-moss/checkpoints', help='checkpoint folder (default %(default)s)')
    ap.add_argument('--resume', action='store_true', help='continue from <out>/last.pt (new data allowed)')
    ap.add_argument('--init', default='',
                    help='start from a weight dump <prefix>.bin/.json (e.g. import-gguf.js of the shipped GGUF), '
                         'fresh optimizer; its config replaces the shape options')
    ap.add_argument('--grow-layers', type=int, default=0,
                    help='with --init: a deeper model whose extra blocks start as the identity (see load_grown)')
    ap.add_argument('--minutes', type=float, default=60, help='wall-clock budget (default %(default)s)')
    ap.add_argument('--max-steps', type=int, default=100000)
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--bf16', action='store_true',
                    help='bfloat16 autocast for the forward pass (weights, optimizer and loss stay float32): about '
                         '2.8x faster on CPUs with avx512_bf16, slower on those without')
    ap.add_argument('--layers', type=int, default=4)
    ap.add_argument('--dim', type=int, default=256)
    ap.add_argument('--heads', type=int, default=4)
    ap.add_argument('--ffn', type=int, default=688)
    ap.add_argument('--context', type=int, default=1024, help='model context (default %(default)s)')
    ap.add_argument('--seq', type=int, default=512, help='training row length (default %(default)s)')
    ap.add_argument('--rows', type=int, default=8, help='rows per step: rows*seq tokens (default %(default)s)')
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--min-lr', type=float, default=2e-4)
    ap.add_argument('--warmup', type=int, default=30)
    ap.add_argument('--decay-steps', type=int, default=0,
                    help='cosine decay length in steps; default: decay over the wall-clock budget')
    ap.add_argument('--export', default='', help='only write <prefix>.bin/.json from <out>/last.pt and exit')
    ap.add_argument('--probe', default='', help='JSON file of token-id prompts: greedy-decode them with <out>/last.pt')
    ap.add_argument('--probe-out', default='', help='where --probe writes its JSON result')
    ap.add_argument('--probe-tokens', type=int, default=32)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    ckpt_path = os.path.join(args.out, 'last.pt')

    with open(os.path.join(args.data, 'vocab.json')) as f:
        vocab_size = len(json.load(f)['tokens'])
    cfg = {'vocab': vocab_size, 'dim': args.dim, 'layers': args.layers, 'heads': args.heads, 'ffn': args.ffn,
           'context': args.context, 'eps': 1e-5, 'rope_base': 10000.0}
    state = None
    if args.resume or args.export or args.probe:
        state = torch.load(ckpt_path, map_location='cpu')
        cfg = state['config']
    elif args.init:
        with open(args.init + '.json') as f:
            cfg = json.load(f)['config']
    old_layers = cfg['layers']
    if args.grow_layers:
        if not args.init or args.grow_layers <= old_layers:
            sys.exit(f'--grow-layers needs --init and more than its {old_layers} layers')
        cfg = {**cfg, 'layers': args.grow_layers}
    model = TinyLlama(cfg)
    if state is not None:
        model.load_state_dict(state['model'])
    elif args.grow_layers:
        load_grown(model, args.init, old_layers)
    elif args.init:
        load_dump(model, args.init)
    if args.export:
        dump_weights(model, args.export)
        print('wrote', args.export + '.bin/.json')
        return
    if args.probe:
        probe(model, args)
        return

    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (decay if p.dim() >= 2 else no_decay).append(p)
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.05}, {'params': no_decay, 'weight_decay': 0.0}],
                            lr=args.lr, betas=(0.9, 0.95))
    step, tokens_seen = 0, 0
    if state is not None:
        opt.load_state_dict(state['opt'])
        tokens_seen = state.get('tokens_seen', 0)
        step = 0  # a resumed run gets its own warmup and schedule (fresh data, new budget)

    tokens, mask, starts = load_data(args.data, 'train')
    nparams = sum(p.numel() for p in model.parameters())
    print(f'config {json.dumps(cfg)} params {nparams/1e6:.2f}M data {len(tokens)} tokens '
          f'{len(starts)} dialogues', flush=True)

    t0 = time.time()
    budget = args.minutes * 60
    decay_steps = args.decay_steps
    ema = None
    last_save = t0
    extra_stamp = None
    stop = []
    # SIGTERM/SIGINT end the run cleanly after the current step (checkpoint and weights are written).
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    model.train()
    while step < args.max_steps:
        elapsed = time.time() - t0
        if elapsed > budget or stop:
            break
        if step < args.warmup:
            lr = args.lr * (step + 1) / args.warmup
        else:
            # Cosine decay over the wall-clock budget (the CPU is shared, so steps per minute vary), or over
            # --decay-steps when given.
            p = min(1.0, (step - args.warmup) / max(1, decay_steps - args.warmup)) if decay_steps else min(1.0, elapsed / budget)
            lr = args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * p))
        for g in opt.param_groups:
            g['lr'] = lr
        xb, mb = batch(tokens, mask, starts, args.rows, args.seq, rng)
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=args.bf16):
            logits = model(xb[:, :-1])
        loss_all = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), xb[:, 1:].reshape(-1), reduction='none')
        loss = (loss_all * mb.reshape(-1)).sum() / mb.sum().clamp(min=1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        tokens_seen += xb.numel()
        ema = loss.item() if ema is None else 0.95 * ema + 0.05 * loss.item()
        if step % 10 == 0:
            el = time.time() - t0
            print(f'step {step} loss {loss.item():.4f} ema {ema:.4f} lr {lr:.2e} {el/step:.2f}s/step '
                  f'elapsed {el/60:.1f}m', flush=True)
        if step % 50 == 0 and os.path.exists(os.path.join(args.data, 'extra', 'train.starts.u32')):
            # Fresh dialogues written while training runs (same vocabulary) join the pool once, appended.
            stamp = os.path.getmtime(os.path.join(args.data, 'extra', 'train.starts.u32'))
            if stamp != extra_stamp:
                extra_stamp = stamp
                t2, m2, s2 = load_data(os.path.join(args.data, 'extra'), 'train')
                starts = np.concatenate([starts, s2 + len(tokens)])
                tokens, mask = torch.cat([tokens, t2]), torch.cat([mask, m2])
                print(f'added {len(t2)} tokens, {len(s2)} dialogues from {args.data}/extra', flush=True)
        if time.time() - last_save > 300:
            save_checkpoint(ckpt_path, model, opt, step, tokens_seen, cfg)
            last_save = time.time()
    save_checkpoint(ckpt_path, model, opt, step, tokens_seen, cfg)
    dump_weights(model, os.path.join(args.out, 'weights'))
    print(f'done: {step} steps, {(time.time()-t0)/60:.1f} min, ema loss {ema if ema is None else round(ema, 4)}; wrote {ckpt_path} and '
          f'{os.path.join(args.out, "weights")}.bin/.json', flush=True)


if __name__ == '__main__':
    main()
