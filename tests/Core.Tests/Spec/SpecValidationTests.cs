using Ablations.Core.Spec;

namespace Ablations.Core.Tests.Spec;

public class SpecValidationTests
{
    [Fact]
    public void Parse_MisspeltTopLevelKey_SuggestsNearestKey()
    {
        var d = SpecText.Errors("name: x\nparamters:\n  a: {values: [1]}\n");
        SpecText.Has(d, 2, 1, "unknown key 'paramters'", "did you mean 'parameters'?");
    }

    [Fact]
    public void Parse_MisspeltParameterKey_SuggestsNearestKey()
    {
        var d = SpecText.Errors("name: x\nparameters:\n  a: {vaules: [1]}\n");
        SpecText.Has(d, 3, 7, "unknown key 'vaules'", "did you mean 'values'?");
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsAllAtOnceInFileOrder()
    {
        var d = SpecText.Errors("""
            name: Bad Name
            method: gird
            design: one_at_a_tme
            metric: {name: acc, goal: maximise}
            seeds: [1, x]
            run_cap: -1
            """);
        SpecText.Has(d, 1, 7, "name 'Bad Name'", "e.g. name: bad-name");
        SpecText.Has(d, 2, 9, "unknown method 'gird'", "did you mean 'grid'?");
        SpecText.Has(d, 3, 9, "unknown design 'one_at_a_tme'", "did you mean 'one_at_a_time'?");
        SpecText.Has(d, 4, 27, "unknown goal 'maximise'", "did you mean 'maximize'?");
        SpecText.Has(d, 5, 12, "'seeds' must be a whole number");
        SpecText.Has(d, 6, 10, "run_cap must be a positive whole number");
        Assert.Equal(d.OrderBy(x => x.Line).ThenBy(x => x.Column), d);
    }

    [Fact]
    public void Parse_MissingName_ReportsFix()
    {
        var d = SpecText.Errors("parameters: {a: {values: [1]}}\n");
        SpecText.Has(d, 1, 1, "missing 'name:'");
        SpecText.Has(SpecText.Errors("name:\nparameters: {a: {values: [1]}}\n"), 1, 1, "missing 'name:'");
        Assert.Single(SpecText.Errors("name: [x]\n"));
        Assert.Equal("spec", SpecText.Ok("name: ~\nprogram: t.py\n").Name);
    }

    [Fact]
    public void Parse_WrongTypes_NameExpectedShape()
    {
        var d = SpecText.Errors("""
            name: x
            seeds: {a: 1}
            stages: [1, 2]
            parameters:
              a: 5
              b: {values: 3}
            """);
        SpecText.Has(d, 2, 8, "'seeds' must be a list");
        SpecText.Has(d, 3, 9, "'stages' must be a mapping");
        SpecText.Has(d, 5, 6, "parameter 'a' must be a mapping such as");
        SpecText.Has(d, 6, 15, "'b.values' must be a list");
    }

    [Fact]
    public void Parse_EmptyValues_IsAnError()
    {
        var d = SpecText.Errors("name: x\nparameters:\n  a: {values: []}\n");
        SpecText.Has(d, 3, 15, "empty 'values:' list");
    }

    [Fact]
    public void Parse_ValueAndValues_IsAnError()
    {
        var d = SpecText.Errors("name: x\nparameters:\n  a: {value: 1, values: [1, 2]}\n");
        SpecText.Has(d, 3, 3, "both 'value:' and 'values:'");
    }

    [Fact]
    public void Parse_UndefinedTeacher_ListsDefinedTeachers()
    {
        var d = SpecText.Errors("""
            name: x
            variants:
              teachers: {t_a: {arch: cnn}, t_b: {arch: vit}}
            parameters:
              student.teachers: {values: [[t_a], [t_a, dfn_c]]}
            """);
        SpecText.Has(d, 5, 44, "student.teachers: unknown teacher 'dfn_c'; defined teachers are t_a, t_b");
    }

    [Fact]
    public void Parse_UndefinedCaptioner_IsReportedInStagesAndBaseline()
    {
        var d = SpecText.Errors("""
            name: x
            stages: {student: {caption_mix: capx}}
            variants: {captioners: {cap: {}}}
            parameters:
              student.caption_mix: {values: [cap]}
            baseline: {student.caption_mix: caq}
            """);
        SpecText.Has(d, 2, 33, "unknown captioner 'capx'; defined captioners are cap");
        SpecText.Has(d, 6, 33, "unknown captioner 'caq'");
    }

    [Fact]
    public void Parse_IncludeExcludeBaselineUnknownKeys_SuggestNearestKey()
    {
        var d = SpecText.Errors("""
            name: x
            parameters:
              student.lambda: {values: [0.5, 1.0]}
              student.epochs: {value: 6}
            baseline: {student.lamda: 0.5}
            include: [{student.lambda: 2.0, student.epoch: 3}]
            exclude: [{lambda: 0.5}]
            """);
        SpecText.Has(d, 5, 12, "baseline: 'student.lamda' is not a swept or fixed parameter; did you mean 'student.lambda'?");
        SpecText.Has(d, 6, 33, "include[0]: 'student.epoch'", "did you mean 'student.epochs'?");
        SpecText.Has(d, 7, 12, "exclude[0]: 'lambda'");
    }

    [Fact]
    public void Parse_BaselineValueNotOnAxis_IsAnError()
    {
        var d = SpecText.Errors("""
            name: x
            parameters:
              student.lambda: {values: [0.5, 1.0]}
            zip:
              - {a: [1, 2], b: [3, 4]}
            baseline: {student.lambda: 0.0, a: 1, b: 4}
            """);
        SpecText.Has(d, 6, 28, "student.lambda = 0.0 is not one of its values (0.5, 1.0)");
        SpecText.Has(d, 6, 36, "no row of the zip group (a, b) has a = 1, b = 4");
    }

    [Fact]
    public void Parse_UnknownProfile_ListsDefinedProfiles()
    {
        var d = SpecText.Errors("name: x\nprofiles:\n  smoke: {seeds: [1]}\n  full: {}\n", "smok");
        SpecText.Has(d, 2, 1, "unknown profile 'smok'; defined profiles are smoke, full");
    }

    [Fact]
    public void Parse_ProfileWithUnknownKey_IsAnErrorEvenWhenNotChosen()
    {
        var d = SpecText.Errors("name: x\nprofiles:\n  smoke: {sedes: [1]}\n");
        SpecText.Has(d, 3, 11, "unknown key 'sedes' in profile 'smoke'; did you mean 'seeds'?");
    }

    [Fact]
    public void Parse_DuplicateKeys_AreErrors()
    {
        var d = SpecText.Errors("""
            name: x
            parameters:
              a: {values: [1]}
              a: {values: [2]}
            name: y
            """);
        SpecText.Has(d, 4, 3, "duplicate key 'a' (first defined at line 3, column 3)");
        SpecText.Has(d, 5, 1, "duplicate key 'name'");
    }

    [Fact]
    public void Parse_SameKeyNestedAndDotted_IsDefinedTwice()
    {
        var d = SpecText.Errors("""
            name: x
            parameters:
              student.lambda: {values: [1]}
              student:
                parameters:
                  lambda: {values: [2]}
            """);
        SpecText.Has(d, 6, 7, "parameter 'student.lambda' is defined twice");
    }

    [Fact]
    public void Parse_KeyBothSweptAndZipped_IsAnError()
    {
        var d = SpecText.Errors("""
            name: x
            parameters:
              a: {values: [1, 2]}
            zip:
              - {a: [1, 2], b: [3, 4]}
            """);
        SpecText.Has(d, 5, 6, "'a' is already set at line 3, column 3");
    }

    [Fact]
    public void Parse_ZipListsOfDifferentLength_IsAnError()
    {
        var d = SpecText.Errors("name: x\nzip:\n  - {a: [1, 2], b: [3]}\n");
        SpecText.Has(d, 3, 5, "same length (a has 2, b has 1)");
    }

    [Fact]
    public void Parse_HugeGridWithoutRunCap_IsRefusedWithItsCount()
    {
        var d = SpecText.Errors("""
            name: x
            seeds: [1, 2]
            parameters:
              a: {values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}
              b: {values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}
              c: {values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}
              d: {values: [1, 2, 3, 4, 5, 6]}
            """);
        SpecText.Has(d, 3, 1, "6,000 cells × 2 seeds = 12,000 runs", "add 'run_cap:'");
    }

    [Fact]
    public void Parse_HugeGridWithRunCap_IsAccepted()
    {
        var spec = SpecText.Ok("""
            name: x
            run_cap: 50
            seeds: [1, 2]
            parameters:
              a: {values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}
              b: {values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}
              c: {values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}
              d: {values: [1, 2, 3, 4, 5, 6]}
            """);
        Assert.Equal(50, spec.RunCap);
    }

    [Fact]
    public void Parse_RandomWithoutRunCap_IsAnError()
    {
        var d = SpecText.Errors("name: x\nmethod: random\nparameters:\n  lr: {min: 0.1, max: 1.0}\n");
        SpecText.Has(d, 2, 9, "method: random needs 'run_cap:'");
        SpecText.Has(SpecText.Errors("name: x\nmethod: random\nrun_cap: ~\n"), 2, 9, "method: random needs 'run_cap:'");
        SpecText.Has(SpecText.Errors("name: x\nseeds: [1, ~]\n"), 2, 12, "a seed is empty");
    }

    [Fact]
    public void Parse_BadDistributions_AreErrors()
    {
        var d = SpecText.Errors("""
            name: x
            method: random
            run_cap: 5
            parameters:
              a: {distribution: normal, min: 0, max: 1}
              b: {distribution: log_uniform_values, min: 0, max: 1}
              c: {values: [x, y], probabilities: [0.5, 0.6]}
              d: {min: 2, max: 1}
              e: {distribution: uniform, min: 1}
            """);
        SpecText.Has(d, 5, 29, "'min:' does not apply to distribution 'normal'", "it takes mu, sigma");
        SpecText.Has(d, 6, 46, "log_uniform_values needs min > 0");
        SpecText.Has(d, 7, 38, "must be non-negative and sum to 1");
        SpecText.Has(d, 8, 12, "min 2 is above max 1");
        SpecText.Has(d, 9, 3, "needs both 'min:' and 'max:'");
    }

    [Fact]
    public void Parse_RangeInGrid_NeedsRandom()
    {
        var d = SpecText.Errors("name: x\nparameters:\n  a: {min: 0.0, max: 1.0}\n  b: {distribution: normal}\n");
        SpecText.Has(d, 3, 7, "parameter 'a': distribution 'uniform' (inferred from min/max) needs method: random");
        SpecText.Has(d, 4, 21, "parameter 'b': distribution 'normal' needs method: random");
    }

    [Fact]
    public void Parse_OneAtATimeWithoutBaseline_IsAnError()
    {
        var d = SpecText.Errors("name: x\ndesign: one_at_a_time\nparameters:\n  a: {values: [1, 2]}\n");
        SpecText.Has(d, 2, 9, "needs a 'baseline:'");
        SpecText.Has(SpecText.Errors("name: x\ndesign: one_at_a_time\nbaseline: ~\n"), 2, 9, "needs a 'baseline:'");
    }

    [Fact]
    public void Parse_IncludeChangingFixedKey_IsAnError()
    {
        var d = SpecText.Errors("name: x\nparameters:\n  a: {values: [1, 2]}\n  e: {value: 6}\ninclude: [{a: 3, e: 4}]\n");
        SpecText.Has(d, 5, 21, "include[0]: 'e' is fixed at 6");
    }

    [Fact]
    public void Parse_ParameterInsidePlainStageValue_IsAnError()
    {
        var d = SpecText.Errors("name: x\nstages: {student: {kd: 5}}\nparameters:\n  student.kd.scale: {values: [1]}\n");
        SpecText.Has(d, 4, 3, "goes inside stages.student.kd, which is 5");
    }

    [Fact]
    public void Parse_ProgramUsedWithoutProgramKey_IsAnError()
    {
        var d = SpecText.Errors("name: x\ncommand:\n  - python\n  - ${program}\n");
        SpecText.Has(d, 3, 3, "uses ${program} but 'program:' is not set");
        SpecText.Has(SpecText.Errors("name: x\npipeline: command\n"), 2, 11, "uses ${program} but 'program:' is not set");
    }

    [Fact]
    public void Parse_WandbMacrosInFlowList_ExplainsQuoting()
    {
        var d = SpecText.Errors("program: t.py\ncommand: [${env}, ${program}]\n");
        Assert.Contains("quote them", d.Single().Message);
        Assert.Equal(2, d.Single().Line);
    }

    [Fact]
    public void Parse_BadTimeoutAndUnknownOption_AreErrors()
    {
        var d = SpecText.Errors("name: x\nprogram: t.py\ncommand_options: {timeout: soon, workdir: x}\n");
        SpecText.Has(d, 3, 28, "timeout 'soon' is not a duration");
        SpecText.Has(d, 3, 34, "unknown key 'workdir'", "did you mean 'working_dir'?");
    }

    [Fact]
    public void Parse_RepeatedAxisValue_IsAnError()
    {
        var d = SpecText.Errors("name: x\nparameters:\n  a: {values: [1, 2, 1.0]}\n");
        SpecText.Has(d, 3, 22, "lists 1.0 twice (first at line 3, column 16)");
    }

    [Fact]
    public void Parse_RepeatedZipRow_IsAnError()
    {
        var d = SpecText.Errors("name: x\nzip:\n  - {a: [1, 2, 1], b: [x, y, x]}\n");
        SpecText.Has(d, 3, 16, "zip group row 3 repeats row 1");
    }

    [Fact]
    public void Parse_MalformedDottedKeys_AreErrors()
    {
        var d = SpecText.Errors("name: x\nparameters:\n  student..lambda: {values: [1]}\nstages: {student.: 1}\nparameters.: {}\n");
        SpecText.Has(d, 3, 3, "parameter key 'student..lambda' is not a valid dotted path");
        SpecText.Has(d, 4, 10, "key 'student.' is not a valid dotted path");
        SpecText.Has(d, 5, 1, "parameter key '' is not a valid dotted path");
    }
}
