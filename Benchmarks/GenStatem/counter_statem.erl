%% The guarded counter of StateMachineBenchmarks as an Erlang/OTP gen_statem, to measure gen_statem:call
%% round trips on the same machine and in the same run as our actor's `send` and `call`
%% (see ./side-by-side and ../../docs/performance.md).
%%
%% Rules, as in the Swift `CounterChart` (StateMachineBenchmarks/ChartBenchmarks.swift): `up` counts up while
%% below 1000 and wraps to 0 otherwise. The count is the state's data and every call gets the new count as
%% its reply: the idiomatic gen_statem shape for a counter (keep_state with new data and a reply action).
-module(counter_statem).
-behaviour(gen_statem).

-export([main/1, callback_mode/0, init/1, counting/3]).

callback_mode() -> state_functions.

init([]) -> {ok, counting, 0}.

counting({call, From}, up, Count) when Count < 1000 -> {keep_state, Count + 1, [{reply, From, Count + 1}]};
counting({call, From}, up, _Count) -> {keep_state, 0, [{reply, From, 0}]}.

%% Entry point: `erl -noshell -pa <dir> -run counter_statem main <batches>`. Measures `batches` batches of
%% 1000 calls each (after a warm-up of 100 batches) and prints the percentiles of nanoseconds per call.
main([BatchesText]) ->
    Batches = list_to_integer(BatchesText),
    {ok, Machine} = gen_statem:start_link(?MODULE, [], []),
    _ = [batch(Machine) || _ <- lists:seq(1, 100)],
    Samples = lists:sort([batch(Machine) || _ <- lists:seq(1, Batches)]),
    At = fun(P) -> lists:nth(max(1, round(P / 100 * length(Samples))), Samples) end,
    io:format("gen_statem:call round trip, ns per call (~b batches of 1000 calls): "
              "p0 ~.1f  p25 ~.1f  p50 ~.1f  p75 ~.1f  p100 ~.1f~n",
              [Batches, hd(Samples), At(25), At(50), At(75), lists:last(Samples)]),
    gen_statem:stop(Machine),
    halt(0).

%% Nanoseconds per call over 1000 calls.
batch(Machine) ->
    Start = erlang:monotonic_time(nanosecond),
    calls(Machine, 1000),
    (erlang:monotonic_time(nanosecond) - Start) / 1000.

calls(_Machine, 0) -> ok;
calls(Machine, Left) ->
    _ = gen_statem:call(Machine, up),
    calls(Machine, Left - 1).
