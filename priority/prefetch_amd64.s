//go:build !purego

#include "textflag.h"

// func prefetchRange(l *bleaf, off, lines int)
//
// PREFETCHT0 of each of lines cache lines from byte off of l: hints that do not wait for the
// memory, cannot fault, and change nothing.
TEXT ·prefetchRange(SB), NOSPLIT, $0-24
	MOVQ	l+0(FP), AX
	ADDQ	off+8(FP), AX
	MOVQ	lines+16(FP), CX
	TESTQ	CX, CX
	JLE	done
loop:
	PREFETCHT0	(AX)
	ADDQ	$64, AX
	DECQ	CX
	JNZ	loop
done:
	RET
