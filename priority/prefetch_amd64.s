//go:build !purego

#include "textflag.h"

// func prefetchRange(p unsafe.Pointer, lines int)
//
// PREFETCHT0 of each of lines cache lines from p: hints that do not wait for the memory,
// cannot fault, and change nothing.
TEXT ·prefetchRange(SB), NOSPLIT, $0-16
	MOVQ	p+0(FP), AX
	MOVQ	lines+8(FP), CX
	TESTQ	CX, CX
	JLE	done
loop:
	PREFETCHT0	(AX)
	ADDQ	$64, AX
	DECQ	CX
	JNZ	loop
done:
	RET
